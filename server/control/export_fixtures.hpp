#pragma once
// The ExportJobs section of fixture documents.
#include "server/control/fixture_node.hpp"
#include "server/core/export_job.hpp"

namespace sesv2mock::fixture {

// {JobId, Account?, Region?, ExportDataSource, ExportDestination, JobStatus?, CreatedTimestamp?,
//  CompletedTimestamp?, Statistics?: {ProcessedRecordsCount?, ExportedRecordsCount?},
//  FailureInfo?: {ErrorMessage}}. The data source and destination are CreateExportJob's
// shapes with its checks; JobStatus defaults to CREATED. A COMPLETED job's file is whatever
// the document's S3Objects (or an earlier write) put at its location.
ExportJob parse_export_job(const Node& n, const Partition& fallback, double now);

}  // namespace sesv2mock::fixture

#pragma once
// Fixture documents: a known starting state (import jobs in any state, suppressed
// addresses, contact lists with contacts, S3 objects) loaded at start or over the control
// API. The format is described by fixtures/fixture.schema.json and the README.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

#include "server/control/services.hpp"

namespace sesv2mock {

// Loads one fixture document, all or nothing: it is validated whole before anything is
// written. A bad document is a BadRequestException naming the offending field's path, e.g.
// "Fixture rejected at ImportJobs[1].JobStatus: ...". Returns counts of what was loaded.
boost::json::object load_fixture(Services& s, const boost::json::value& document);

// A fixture file, or every *.json file of a folder in name order (each all or nothing).
// Returns a one-line summary.
std::string load_fixture_path(Services& s, const std::string& path);

}  // namespace sesv2mock

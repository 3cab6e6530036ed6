#pragma once
// Fixture documents: a known starting state (jobs in any state, suppressed addresses,
// contact lists with contacts, S3 objects) loaded at start or over the control API.
#include <boost/json/value.hpp>

#include <string>

#include "server/service/services.hpp"

namespace sesv2mock {

// Loads one fixture document, all or nothing. Throws ApiError (BadRequestException)
// naming the path of the offending field. Returns a summary such as "2 import jobs, ...".
std::string load_fixture(Services& s, const boost::json::value& document);

// A fixture file, or every *.json file of a folder (in name order).
std::string load_fixture_path(Services& s, const std::string& path);

}  // namespace sesv2mock

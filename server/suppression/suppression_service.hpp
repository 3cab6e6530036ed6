#pragma once
// The account-level suppression list: Put/Get/Delete/ListSuppressedDestinations.
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "server/core/paging.hpp"
#include "server/core/request_context.hpp"

namespace sesv2mock::storage {
class SuppressionStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

struct ListSuppressedDestinationsRequest {
  std::vector<SuppressionReason> reasons;
  std::optional<double> start_date;
  std::optional<double> end_date;
  std::string contains;  // the inspector's search: part of the address ("" = any)
  PageRequest paging;
};

using ListSuppressedDestinationsResult = Page<SuppressedDestination>;

class SuppressionService {
 public:
  SuppressionService(storage::SuppressionStore& store, const Pager& pager)
      : store_(store), pager_(pager) {}

  void put(const RequestContext& ctx, const std::string& email_address, SuppressionReason reason);
  SuppressedDestination get(const RequestContext& ctx, const std::string& email_address) const;
  void erase(const RequestContext& ctx, const std::string& email_address);
  ListSuppressedDestinationsResult list(const RequestContext& ctx,
                                        const ListSuppressedDestinationsRequest& request) const;

 private:
  storage::SuppressionStore& store_;
  const Pager& pager_;
};

}  // namespace sesv2mock

#pragma once
// The /_mock control API for tests (SPEC §5). Never under /v2/, never fault-injected.
#include "server/api/api.hpp"
#include "server/control/control_service.hpp"
#include "server/control/fault_injector.hpp"
#include "server/control/fixtures.hpp"
#include "server/imports/import_job_service.hpp"

namespace sesv2mock::api {

class ControlApi {
 public:
  ControlApi(ControlService& control, StateReset& state, FaultInjector& faults,
             FixtureLoader& fixtures, ImportJobService& jobs)
      : control_(control), state_(state), faults_(faults), fixtures_(fixtures), jobs_(jobs) {}
  RouteTable routes();

 private:
  ApiResponse health(const ApiRequest& r);
  ApiResponse get_config(const ApiRequest& r);
  ApiResponse set_config(const ApiRequest& r);
  ApiResponse reset(const ApiRequest& r);
  ApiResponse get_job(const ApiRequest& r);
  ApiResponse failed_records(const ApiRequest& r);
  ApiResponse advance(const ApiRequest& r);
  ApiResponse cancel(const ApiRequest& r);
  ApiResponse fail(const ApiRequest& r);
  ApiResponse list_faults(const ApiRequest& r);
  ApiResponse add_fault(const ApiRequest& r);
  ApiResponse clear_faults(const ApiRequest& r);
  ApiResponse delete_fault(const ApiRequest& r);
  ApiResponse load_fixtures(const ApiRequest& r);

  ControlService& control_;
  StateReset& state_;
  FaultInjector& faults_;
  FixtureLoader& fixtures_;
  ImportJobService& jobs_;
};

// The guard that answers an operation with the injected fault matching it, if any.
OperationGuard fault_guard(FaultInjector& faults);

}  // namespace sesv2mock::api

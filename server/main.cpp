// sesv2-mock: a local stand-in for the Amazon SES v2 import-jobs API.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "server/api/account_api.hpp"
#include "server/api/configuration_set_api.hpp"
#include "server/api/contact_api.hpp"
#include "server/api/control_api.hpp"
#include "server/api/export_job_api.hpp"
#include "server/api/identity_api.hpp"
#include "server/api/import_job_api.hpp"
#include "server/api/inspection_api.hpp"
#include "server/api/inspector_api.hpp"
#include "server/api/metrics_api.hpp"
#include "server/api/send_api.hpp"
#include "server/api/suppression_api.hpp"
#include "server/api/template_api.hpp"
#include "server/api/ui_api.hpp"
#include "server/auth/verifier.hpp"
#include "server/contacts/contact_service.hpp"
#include "server/control/control_service.hpp"
#include "server/control/fault_injector.hpp"
#include "server/control/fixtures.hpp"
#include "server/core/log.hpp"
#include "server/core/paging.hpp"
#include "server/exports/export_job_service.hpp"
#include "server/exports/export_worker.hpp"
#include "server/http/http_server.hpp"
#include "server/http/router.hpp"
#include "server/imports/import_job_service.hpp"
#include "server/jobs/import_worker.hpp"
#include "server/s3/s3_client.hpp"
#include "server/sending/account_service.hpp"
#include "server/sending/configuration_set_service.hpp"
#include "server/sending/identity_service.hpp"
#include "server/sending/message_inspection.hpp"
#include "server/sending/sending_directory.hpp"
#include "server/sending/vdm_metrics.hpp"
#include "server/suppression/suppression_service.hpp"
#include "storage/account_store.hpp"
#include "storage/configuration_set_store.hpp"
#include "storage/contact_store.hpp"
#include "storage/database.hpp"
#include "storage/export_job_store.hpp"
#include "storage/identity_store.hpp"
#include "storage/import_job_store.hpp"
#include "storage/message_store.hpp"
#include "storage/suppression_store.hpp"
#include "storage/template_store.hpp"

namespace {

using sesv2mock::Settings;

constexpr int kHealthcheckTimeoutMs = 2'000;

// Flags and their SESV2_MOCK_* environment twins. One flag per line (unformatted), so flags
// added on parallel branches merge line by line.
// clang-format off
void define_flags(CLI::App& app, Settings& s, std::string& mode, bool& healthcheck) {
  app.add_option("--host", s.host, "Address to listen on")->envname("SESV2_MOCK_HOST")->capture_default_str();
  app.add_option("--port", s.port, "Port to listen on (0: any free port)")->envname("SESV2_MOCK_PORT")->capture_default_str();
  app.add_option("--db", s.db_path, "SQLite database file, or :memory: for a throw-away run")->envname("SESV2_MOCK_DB")->capture_default_str();
  app.add_option("--s3-dir", s.s3_dir, "Directory holding s3://bucket/key as DIR/bucket/key (default: s3/ beside the database)")->envname("SESV2_MOCK_S3_DIR");
  app.add_option("--s3-endpoint", s.s3.endpoint, "S3-compatible endpoint to fetch import files from (wins over --s3-dir)")->envname("SESV2_MOCK_S3_ENDPOINT");
  app.add_option("--s3-access-key", s.s3.access_key, "Access key for --s3-endpoint")->envname("SESV2_MOCK_S3_ACCESS_KEY")->capture_default_str();
  app.add_option("--s3-secret-key", s.s3.secret_key, "Secret key for --s3-endpoint")->envname("SESV2_MOCK_S3_SECRET_KEY");
  app.add_option("--s3-region", s.s3.region, "Region to sign S3 requests for")->envname("SESV2_MOCK_S3_REGION")->capture_default_str();
  app.add_option("--s3-timeout-ms", s.s3.timeout_ms, "Timeout of one S3 request")->envname("SESV2_MOCK_S3_TIMEOUT_MS")->capture_default_str();
  app.add_option("--threads", s.threads, "HTTP I/O threads")->envname("SESV2_MOCK_THREADS")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--log-level", s.log_level, "error, warn, info or debug")->envname("SESV2_MOCK_LOG_LEVEL")->check(CLI::IsMember({"error", "warn", "info", "debug"}))->capture_default_str();
  app.add_option("--max-body-bytes", s.max_body_bytes, "Largest request body accepted")->envname("SESV2_MOCK_MAX_BODY_BYTES")->capture_default_str();
  app.add_option("--read-timeout-ms", s.read_timeout_ms, "Idle time before a connection is closed")->envname("SESV2_MOCK_READ_TIMEOUT_MS")->capture_default_str();
  app.add_option("--shutdown-grace-ms", s.shutdown_grace_ms, "How long SIGTERM waits for in-flight requests")->envname("SESV2_MOCK_SHUTDOWN_GRACE_MS")->capture_default_str();
  app.add_option("--max-unfinished-jobs", s.max_unfinished_import_jobs, "Import jobs not yet finished allowed per account and region")->envname("SESV2_MOCK_MAX_UNFINISHED_JOBS")->capture_default_str();
  app.add_option("--max-contact-lists", s.max_contact_lists, "Contact lists allowed per account and region")->envname("SESV2_MOCK_MAX_CONTACT_LISTS")->capture_default_str();
  app.add_option("--processing-mode", mode, "immediate, delayed or manual")->envname("SESV2_MOCK_PROCESSING_MODE")->check(CLI::IsMember({"immediate", "delayed", "manual"}))->capture_default_str();
  app.add_option("--processing-delay-ms", s.processing_delay_ms, "Pause in each state in delayed mode")->envname("SESV2_MOCK_PROCESSING_DELAY_MS")->capture_default_str();
  app.add_option("--import-batch-size", s.import_batch_size, "Records written per transaction")->envname("SESV2_MOCK_IMPORT_BATCH_SIZE")->check(CLI::Range(1, 1'000'000))->capture_default_str();
  app.add_option("--job-threads", s.job_threads, "Threads running jobs (round-robin, a batch at a time)")->envname("SESV2_MOCK_JOB_THREADS")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--import-rate", s.import_rate, "Records per second a job may process (0: no cap)")->envname("SESV2_MOCK_IMPORT_RATE")->capture_default_str();
  app.add_option("--fixtures", s.fixtures, "Fixture file or folder to load at start (repeatable)")->envname("SESV2_MOCK_FIXTURES")->delimiter(':');
  app.add_option("--auth", s.auth_mode, "SigV4 checking of SES requests: off, or strict (refuse unknown keys and bad signatures like AWS)")->envname("SESV2_MOCK_AUTH")->check(CLI::IsMember({"off", "strict"}))->capture_default_str();
  app.add_option("--credential", s.credentials, "KEY:SECRET[:ACCOUNT] accepted in strict mode (repeatable; the env twin is comma-separated)")->envname("SESV2_MOCK_CREDENTIALS")->delimiter(',');
  app.add_option("--credentials-file", s.credentials_file, "File of KEY:SECRET[:ACCOUNT] lines accepted in strict mode")->envname("SESV2_MOCK_CREDENTIALS_FILE");
  app.add_option("--max-connections", s.max_connections, "Open connections at once (0: as the file-descriptor limit allows); at the cap the oldest idle one is closed")->envname("SESV2_MOCK_MAX_CONNECTIONS")->capture_default_str();
  app.add_flag("--sandbox", s.sandbox, "Act as an account in the SES sandbox: no production access, sandbox quota, recipients must be verified")->envname("SESV2_MOCK_SANDBOX");
  app.add_flag("--healthcheck", healthcheck, "Ask a running server on --port for its health and exit 0 if it is ok");
}
// clang-format on

// Every concrete object behind the routes, built once. Each domain service and API object
// gets only the stores and services it needs; this is the one place that knows them all.
struct Wiring {
  Wiring(Settings& settings, sesv2mock::storage::Database& db, sesv2mock::ImportWorker& worker,
         sesv2mock::ExportWorker& export_worker)
      : jobs(db),
        suppression(db),
        contacts(db),
        tokens(sesv2mock::stored_page_token_key(db)),
        pager(tokens),
        import_jobs(jobs, contacts, pager, settings, [&worker] { worker.wake(); }),
        suppression_list(suppression, pager),
        contact_lists(contacts, pager, settings),
        control(jobs, worker, settings),
        state(db, jobs, suppression, contacts, faults, tokens),
        fixtures(db, contacts, settings, worker),
        import_api(import_jobs),
        suppression_api(suppression_list),
        contact_api(contact_lists),
        control_api(control, state, faults, fixtures, import_jobs),
        identity_store(db),
        configuration_set_store(db),
        account_store(db),
        directory(identity_store, configuration_set_store, account_store, settings),
        identities(identity_store, configuration_set_store, pager),
        configuration_sets(configuration_set_store, pager),
        // SentLast24Hours: recipients of the messages accepted in the last 24 hours.
        account(directory, account_store,
                [this](const sesv2mock::Partition& p) {
                  return message_store.count_sent_since(p, sesv2mock::now_epoch_seconds() - 86'400);
                }),
        identity_api(identities),
        configuration_set_api(configuration_sets),
        account_api(account),
        template_store(db),
        message_store(db),
        templates(template_store, pager),
        unsubscribe_links(tokens, contacts),
        sending(sending_rules(directory), templates, message_store, suppression, contacts,
                unsubscribe_links),
        template_api(templates),
        send_api(sending),
        message_inspection(message_store),
        inspection_api(message_inspection, pager, unsubscribe_links),
        inspector_api(import_jobs, suppression_list, contact_lists, message_inspection),
        vdm_metrics(message_store,
                    [this](const sesv2mock::Partition& p, const std::string& from) {
                      return directory.sending_identity(p, from);
                    }),
        metrics_api(vdm_metrics),
        export_job_store(db),
        export_jobs(export_job_store, export_worker, pager, settings),
        export_api(export_jobs) {
    state.also_clear([this](const sesv2mock::Partition* p) {
      identity_store.erase_all(p);
      configuration_set_store.erase_all(p);
      account_store.erase_all(p);
      message_store.erase_all(p);
      template_store.erase_all(p);
      export_job_store.erase_all(p);
    });
    control.also_follow_mode([&export_worker](sesv2mock::ProcessingMode mode, int delay_ms) {
      export_worker.set_mode(mode, delay_ms);
    });
  }

  // What sending asks of identities, the account and configuration sets (S1's
  // SendingDirectory).
  static sesv2mock::SendingRules sending_rules(sesv2mock::SendingDirectory& d) {
    sesv2mock::SendingRules rules;
    rules.is_verified = [&d](const sesv2mock::Partition& p, std::string_view a) {
      return d.is_verified(p, a);
    };
    rules.account = [&d](const sesv2mock::Partition& p) {
      auto a = d.account(p);
      return sesv2mock::AccountRules{a.sending_enabled, a.production_access_enabled,
                                     a.suppressed_reasons};
    };
    rules.configuration_set =
        [&d](const sesv2mock::Partition& p,
             std::string_view name) -> std::optional<sesv2mock::ConfigurationSetRules> {
      auto cs = d.configuration_set(p, name);
      if (!cs)
        return std::nullopt;
      return sesv2mock::ConfigurationSetRules{cs->sending_enabled, cs->suppressed_reasons};
    };
    return rules;
  }

  void add_routes(sesv2mock::http::Router& router) {
    router.add(import_api.routes());
    router.add(export_api.routes());
    router.add(suppression_api.routes());
    router.add(contact_api.routes());
    router.add(control_api.routes());
    router.add(identity_api.routes());
    router.add(configuration_set_api.routes());
    router.add(account_api.routes());
    router.add(template_api.routes());
    router.add(send_api.routes());
    router.add(inspector_api.routes());
    router.add(inspection_api.routes());
    router.add(metrics_api.routes());
    router.add(ui_api.routes());
    router.set_guard(sesv2mock::api::fault_guard(faults));
  }

  sesv2mock::storage::ImportJobStore jobs;
  sesv2mock::storage::SuppressionStore suppression;
  sesv2mock::storage::ContactStore contacts;
  sesv2mock::PageTokenCodec tokens;
  sesv2mock::Pager pager;
  sesv2mock::FaultInjector faults;
  sesv2mock::ImportJobService import_jobs;
  sesv2mock::SuppressionService suppression_list;
  sesv2mock::ContactService contact_lists;
  sesv2mock::ControlService control;
  sesv2mock::StateReset state;
  sesv2mock::FixtureLoader fixtures;
  sesv2mock::api::ImportJobApi import_api;
  sesv2mock::api::SuppressionApi suppression_api;
  sesv2mock::api::ContactApi contact_api;
  sesv2mock::api::ControlApi control_api;
  sesv2mock::storage::IdentityStore identity_store;
  sesv2mock::storage::ConfigurationSetStore configuration_set_store;
  sesv2mock::storage::AccountStore account_store;
  sesv2mock::SendingDirectory directory;
  sesv2mock::IdentityService identities;
  sesv2mock::ConfigurationSetService configuration_sets;
  sesv2mock::AccountService account;
  sesv2mock::api::IdentityApi identity_api;
  sesv2mock::api::ConfigurationSetApi configuration_set_api;
  sesv2mock::api::AccountApi account_api;
  sesv2mock::storage::TemplateStore template_store;
  sesv2mock::storage::MessageStore message_store;
  sesv2mock::TemplateService templates;
  sesv2mock::UnsubscribeLinks unsubscribe_links;
  sesv2mock::SendService sending;
  sesv2mock::api::TemplateApi template_api;
  sesv2mock::api::SendApi send_api;
  sesv2mock::MessageInspection message_inspection;
  sesv2mock::api::InspectionApi inspection_api;
  sesv2mock::api::InspectorApi inspector_api;
  sesv2mock::VdmMetrics vdm_metrics;
  sesv2mock::api::MetricsApi metrics_api;
  sesv2mock::api::UiApi ui_api;
  sesv2mock::storage::ExportJobStore export_job_store;
  sesv2mock::ExportJobService export_jobs;
  sesv2mock::api::ExportJobApi export_api;
};

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  std::string mode = "immediate";
  bool healthcheck = false;
  CLI::App app{"sesv2-mock: a local Amazon SES v2 import-jobs API for tests and dev stacks"};
  define_flags(app, settings, mode, healthcheck);
  CLI11_PARSE(app, argc, argv);
  settings.processing_mode = *sesv2mock::parse_processing_mode(mode);
  sesv2mock::log::set_level(settings.log_level);

  if (healthcheck) {
    return sesv2mock::http_get_ok("127.0.0.1", settings.port, "/_mock/health",
                                  kHealthcheckTimeoutMs)
               ? 0
               : 1;
  }

  try {
    if (settings.db_path != ":memory:") {
      auto parent = std::filesystem::path(settings.db_path).parent_path();
      if (!parent.empty())
        std::filesystem::create_directories(parent);
    }
    sesv2mock::storage::Database db(settings.db_path);
    const bool use_endpoint = !settings.s3.endpoint.empty();
    sesv2mock::S3Fetcher fetcher;
    if (use_endpoint) {
      fetcher = [&settings](const sesv2mock::S3Location& loc, const std::string& spool) {
        sesv2mock::fetch_s3_object(settings.s3, loc, spool);
      };
    }
    // The s3 folder exists from the start, so a user can drop files into it right away.
    std::error_code s3_dir_error;  // not fatal: the folder may be a read-only mount
    std::filesystem::create_directories(settings.effective_s3_dir(), s3_dir_error);
    sesv2mock::log::write(
        sesv2mock::log::Level::Info, "import files from %s",
        use_endpoint ? settings.s3.endpoint.c_str() : settings.effective_s3_dir().c_str());
    sesv2mock::S3Uploader uploader;
    if (use_endpoint) {
      uploader = [&settings](const sesv2mock::S3Location& loc, const std::string& body) {
        sesv2mock::put_s3_object(settings.s3, loc, body);
      };
    }
    sesv2mock::ImportWorker worker(db, settings, fetcher);
    // METRICS_DATA exports name a sender's identity as BatchGetMetricData does; the
    // directory is built by Wiring, before the worker starts.
    const sesv2mock::SendingDirectory* directory = nullptr;
    sesv2mock::S3FileUploader file_uploader;
    if (use_endpoint) {
      file_uploader = [&settings](const sesv2mock::S3Location& loc, const std::string& path) {
        sesv2mock::put_s3_object_file(settings.s3, loc, path);
      };
    }
    sesv2mock::ExportWorker export_worker(
        db, settings, file_uploader,
        [&directory](const sesv2mock::Partition& p, const std::string& from) {
          return directory->sending_identity(p, from);
        });
    Wiring wiring(settings, db, worker, export_worker);
    directory = &wiring.directory;
    wiring.fixtures.set_export_wake([&export_worker] { export_worker.wake(); });
    if (use_endpoint)
      wiring.fixtures.set_uploader(uploader);
    for (const auto& path : settings.fixtures) {
      auto loaded = wiring.fixtures.load_path(path);
      sesv2mock::log::write(sesv2mock::log::Level::Info, "loaded fixtures from %s: %s",
                            path.c_str(), loaded.c_str());
    }
    sesv2mock::http::Router router;
    wiring.add_routes(router);
    sesv2mock::http::ServerOptions options{settings.host,
                                           settings.port,
                                           settings.threads,
                                           settings.max_body_bytes,
                                           settings.read_timeout_ms,
                                           settings.shutdown_grace_ms};
    options.max_connections = settings.max_connections;
    options.deferred = &wiring.message_store;  // group commit of sent messages
    wiring.directory.use_cache(db);
    std::optional<sesv2mock::auth::Verifier> verifier;
    if (settings.auth_mode == "strict") {
      verifier.emplace(
          sesv2mock::auth::load_credentials(settings.credentials, settings.credentials_file));
      options.verifier = &*verifier;
      sesv2mock::log::write(sesv2mock::log::Level::Info, "strict SigV4 on /v2/ routes, %zu key(s)",
                            verifier->credentials().size());
    }
    sesv2mock::http::HttpServer server(options, router);
    server.on_shutdown([&worker, &export_worker] {
      worker.request_stop();
      export_worker.request_stop();
    });
    int port = server.listen();
    settings.port = port;
    worker.start();
    export_worker.start();
    std::printf("sesv2-mock listening on http://%s:%d\n", settings.host.c_str(), port);
    std::fflush(stdout);
    server.run();
    worker.stop();
    export_worker.stop();
    sesv2mock::log::write(sesv2mock::log::Level::Info, "stopped cleanly");
    return 0;
  } catch (const std::exception& e) {
    sesv2mock::log::write(sesv2mock::log::Level::Error, "%s", e.what());
    return 1;
  }
}

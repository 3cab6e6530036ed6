#pragma once
// One task at a time on a thread of its own, for a job run that reads its next batch while
// it commits the current one. The thread lives as long as the object (a thread per batch
// cost more than it saved: each one's exit unmapped its stack and flushed the TLB of both
// cores, ~0.9 s of CPU over a million-record import). Not thread-safe itself: one owner
// calls start() and wait() in turn.
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace sesv2mock {

class ReadAhead {
 public:
  static constexpr int kNice = 10;  // added to the nice value of the thread that makes it
  ReadAhead();
  ~ReadAhead();  // waits for a running task
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // Runs `task` on the thread; at most one task at a time (wait() for the one before).
  void start(std::function<bool()> task);
  bool pending() const { return pending_; }
  // Waits for the task start() began and returns its result, or rethrows what it threw.
  bool wait();

 private:
  void thread_main();

  std::mutex mutex_;
  std::condition_variable cv_;
  std::function<bool()> task_;  // set: waiting to run or running
  bool finished_ = false;
  bool result_ = false;
  std::exception_ptr error_;
  bool stopping_ = false;
  bool pending_ = false;  // owner's view: started and not waited for
  std::thread thread_;
};

}  // namespace sesv2mock

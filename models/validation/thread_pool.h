// The worker pool `prepsim validate` runs the real pipeline on: N std::threads that live as long as the pool and
// run one task at a time on all of them, like the simulator's workers of one cpu host. for_each_index() hands out
// whole work items (chunks) from a shared atomic counter, so a fast worker takes more chunks than a slow one and
// the wall time of a pass is that of the last worker to finish, as in the simulation.
//
// Workers may be pinned one per core (pthread_setaffinity_np, over the cores this process may run on): fewer
// migrations and steadier timings. Pinning is best effort; pinned() says whether every worker got its core.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace prepsim::validation {

class ThreadPool {
 public:
  // threads >= 1 (std::invalid_argument otherwise). With `pin`, worker i runs on the i-th allowed core (mod their
  // number); a failure to pin leaves the worker unpinned.
  explicit ThreadPool(int threads, bool pin = false);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(threads_.size()); }
  bool pinned() const { return pinned_.load() == size(); }

  // Runs task(worker) on every worker (worker = 0..size()-1) and returns when all have returned. If tasks throw,
  // the first exception is rethrown here once all workers are done. Not reentrant: one run() at a time.
  void run(const std::function<void(int)>& task);

 private:
  void loop(int worker, bool pin);

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const std::function<void(int)>* task_ = nullptr;
  std::uint64_t generation_ = 0;
  int pending_ = 0;
  int started_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::atomic<int> pinned_{0};
};

// Runs body(index, worker) for every index in [0, n) on the pool; each worker takes the next index from a shared
// atomic counter until none is left. Returns when all indices are done (exceptions as ThreadPool::run).
void for_each_index(ThreadPool& pool, std::int64_t n, const std::function<void(std::int64_t, int)>& body);

// The cores this process may run on (sched_getaffinity), in increasing order; {0..hardware_concurrency-1} when
// unknown.
std::vector<int> allowed_cores();

}  // namespace prepsim::validation

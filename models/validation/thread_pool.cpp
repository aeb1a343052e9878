#include "models/validation/thread_pool.h"

#include <pthread.h>
#include <sched.h>

#include <stdexcept>

namespace prepsim::validation {

std::vector<int> allowed_cores() {
  std::vector<int> cores;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (int c = 0; c < CPU_SETSIZE; ++c) {
      if (CPU_ISSET(c, &set)) cores.push_back(c);
    }
  }
  if (cores.empty()) {
    const int n = static_cast<int>(std::thread::hardware_concurrency());
    for (int c = 0; c < (n > 0 ? n : 1); ++c) cores.push_back(c);
  }
  return cores;
}

ThreadPool::ThreadPool(int threads, bool pin) {
  if (threads < 1) throw std::invalid_argument("a thread pool needs at least one thread");
  threads_.reserve(static_cast<std::size_t>(threads));
  try {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i, pin] { loop(i, pin); });
  } catch (...) {  // could not start them all: stop those that run
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    start_.notify_all();
    for (std::thread& t : threads_) t.join();
    throw;
  }
  std::unique_lock<std::mutex> lock(mutex_);  // every worker has tried to pin itself before pinned() is asked
  done_.wait(lock, [&] { return started_ == threads; });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  start_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ThreadPool::loop(int worker, bool pin) {
  if (pin) {
    const std::vector<int> cores = allowed_cores();
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cores[static_cast<std::size_t>(worker) % cores.size()], &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0) pinned_.fetch_add(1);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++started_;
  }
  done_.notify_all();
  std::uint64_t seen = 0;
  for (;;) {
    const std::function<void(int)>* task = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      start_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      task = task_;
    }
    std::exception_ptr error;
    try {
      (*task)(worker);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (error && !error_) error_ = error;
    if (--pending_ == 0) done_.notify_all();
  }
}

void ThreadPool::run(const std::function<void(int)>& task) {
  std::unique_lock<std::mutex> lock(mutex_);
  task_ = &task;
  pending_ = size();
  error_ = nullptr;
  ++generation_;
  start_.notify_all();
  done_.wait(lock, [&] { return pending_ == 0; });
  task_ = nullptr;
  if (error_) {
    std::exception_ptr e = error_;
    error_ = nullptr;
    std::rethrow_exception(e);
  }
}

void for_each_index(ThreadPool& pool, std::int64_t n, const std::function<void(std::int64_t, int)>& body) {
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> failed{false};
  pool.run([&](int worker) {
    try {
      for (std::int64_t i = next.fetch_add(1); i < n && !failed.load(std::memory_order_relaxed);
           i = next.fetch_add(1)) {
        body(i, worker);
      }
    } catch (...) {
      failed.store(true);
      throw;
    }
  });
}

}  // namespace prepsim::validation

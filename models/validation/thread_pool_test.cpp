#include "models/validation/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <vector>

namespace prepsim::validation {
namespace {

TEST(ThreadPool, RunsTheTaskOnceOnEveryWorker) {
  ThreadPool pool(3);
  EXPECT_EQ(pool.size(), 3);
  for (int round = 0; round < 5; ++round) {
    std::vector<std::atomic<int>> calls(3);
    pool.run([&](int w) { calls[static_cast<std::size_t>(w)].fetch_add(1); });
    for (auto& c : calls) EXPECT_EQ(c.load(), 1);
  }
}

TEST(ThreadPool, ForEachIndexCoversEveryIndexExactlyOnce) {
  ThreadPool pool(2, /*pin=*/true);
  std::vector<std::atomic<int>> hits(1000);
  std::vector<std::atomic<int>> by_worker(2);
  for_each_index(pool, 1000, [&](std::int64_t i, int w) {
    hits[static_cast<std::size_t>(i)].fetch_add(1);
    by_worker[static_cast<std::size_t>(w)].fetch_add(1);
  });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
  EXPECT_EQ(by_worker[0].load() + by_worker[1].load(), 1000);
  for_each_index(pool, 0, [&](std::int64_t, int) { ADD_FAILURE() << "no index to run"; });
}

TEST(ThreadPool, RethrowsAWorkersExceptionAndStaysUsable) {
  ThreadPool pool(2);
  std::atomic<int> after{0};
  EXPECT_THROW(for_each_index(pool, 100,
                              [&](std::int64_t i, int) {
                                if (i == 10) throw std::runtime_error("chunk 10 is bad");
                              }),
               std::runtime_error);
  pool.run([&](int) { after.fetch_add(1); });
  EXPECT_EQ(after.load(), 2);
  EXPECT_THROW(ThreadPool(0), std::invalid_argument);
}

TEST(ThreadPool, AllowedCoresAreDistinctAndNonEmpty) {
  const std::vector<int> cores = allowed_cores();
  ASSERT_FALSE(cores.empty());
  EXPECT_EQ(std::set<int>(cores.begin(), cores.end()).size(), cores.size());
}

}  // namespace
}  // namespace prepsim::validation

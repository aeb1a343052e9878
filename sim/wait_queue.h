// A first-in first-out queue whose pop waits for an item: what the engine's hand-overs are made of (a segment's
// inbox of chunks, the finished chunks waiting for dispatch, the trainers' requests). A deque plus a semaphore that
// counts its items, so a popping actor blocks in simulated time until something is pushed.
#pragma once

#include <simgrid/s4u.hpp>

#include <cstddef>
#include <deque>

namespace prepsim::sim {

template <typename T>
class WaitQueue {
 public:
  WaitQueue() : items_(simgrid::s4u::Semaphore::create(0)) {}

  void push(T item) {
    queue_.push_back(item);
    items_->release();
  }
  // The oldest item, once there is one.
  T pop() {
    items_->acquire();
    T item = queue_.front();
    queue_.pop_front();
    return item;
  }
  std::size_t size() const { return queue_.size(); }

 private:
  std::deque<T> queue_;
  simgrid::s4u::SemaphorePtr items_;
};

}  // namespace prepsim::sim

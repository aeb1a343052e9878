// The trainers: one replica per trainer host, the jobs they belong to, and the requests they make, one per free
// slot of their prefetch buffers. replica_actor (trainer.cpp) runs a replica; dispatcher_actor (dispatcher.cpp)
// answers the requests with finished chunks.
#pragma once

#include <simgrid/s4u.hpp>

#include <vector>

#include "models/run_record.h"
#include "sim/wait_queue.h"

namespace prepsim::sim {

struct Replica {
  int job = 0;
  simgrid::s4u::Host* host = nullptr;
  simgrid::s4u::Mailbox* mailbox = nullptr;  // its prefetch buffer (a permanent receiver: sends start at once)
  ReplicaRecord record;
};

struct Trainers {
  std::vector<Replica> replicas;
  std::vector<JobRecord> jobs;
  std::vector<simgrid::s4u::BarrierPtr> barriers;  // per job (sync only)
  // One request per free prefetch slot (a replica index), matched first come first served with the finished
  // chunks (oldest first) by the dispatcher.
  WaitQueue<int> requests;
};

}  // namespace prepsim::sim

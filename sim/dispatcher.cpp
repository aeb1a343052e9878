// The dispatcher: matches the chunks the last segment finished (oldest first) with the trainers' requests (first
// come first served) and sends each from the host of the worker that finished it (step 6 of a chunk's path,
// sim/worker.cpp). It touches the pipeline only through Pipeline::finished and the trainers only through their
// requests and mailboxes.
#include "sim/state.h"

namespace prepsim::sim {

void dispatcher_actor(State* st) {
  while (true) {
    Chunk* c = st->pipeline.finished.pop();
    int replica = st->trainers.requests.pop();
    c->replica = replica;
    c->sent_at = sg4::Engine::get_clock();
    st->accounting.produced += c->work.rows;
    sg4::Mailbox* mailbox = st->trainers.replicas[static_cast<std::size_t>(replica)].mailbox;
    // The chunk leaves from the worker's host: a short-lived actor there starts the transfer (detached: the
    // trainer's mailbox is a permanent receiver, so the transfer runs while the trainer trains).
    sg4::Actor::create("sender", c->at, [mailbox, c] {
      sg4::Actor::self()->daemonize();
      mailbox->put_init(c, static_cast<std::uint64_t>(c->work.output_bytes))->detach();
    });
    st->accounting.activities += 1;
    OutputBuffer::release(c);
  }
}

}  // namespace prepsim::sim

// The MPI driver of `prepsim sweep` (sweep_mpi.h). Protocol, all messages JSON text:
//   worker -> 0, kTagAsk:  {rows: [finished PointRows], want: free child slots (0 once told to stop)}
//   0 -> worker, kTagGive: {points: [SweepPoints, at most want], stop: no point left to hand out}
//   0 -> worker, kTagEnd:  {exit: rank 0's exit code}, once every rank is done
// Rank 0 answers every Ask. A worker that was told to stop and has reported all its points is done; it then
// waits for End. Nobody waits in a blocking MPI call: OpenMPI's blocking receive busy-polls a core, which the
// children need (2 ranks on 2 cores would lose half the machine), so waits are Iprobe plus a short sleep.
#include "analysis/sweep/sweep_mpi.h"

#include <dlfcn.h>
// The C API only: the C++ bindings left the MPI standard in 3.0.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#include <sched.h>
#include <time.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "analysis/children/child_runner.h"

namespace prepsim::analysis {

namespace {

using json = nlohmann::json;

constexpr int kTagAsk = 1, kTagGive = 2, kTagEnd = 3;
// Rank 0 looks at its peers at least this often (its answer to a worker's ask comes at most this late).
constexpr int kPollMs = 1;

void nap(long us) {
  timespec ts{0, us * 1000};
  nanosleep(&ts, nullptr);
}

void send(const json& j, int to, int tag) {
  std::string s = j.dump();
  MPI_Send(s.data(), static_cast<int>(s.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

// A message from `from` (MPI_ANY_SOURCE: anyone) with `tag`, if one is there; *source tells who sent it.
std::optional<json> try_recv(int from, int tag, int* source = nullptr) {
  int flag = 0;
  MPI_Status st;
  MPI_Iprobe(from, tag, MPI_COMM_WORLD, &flag, &st);
  if (!flag) return std::nullopt;
  int n = 0;
  MPI_Get_count(&st, MPI_CHAR, &n);
  std::string s(static_cast<std::size_t>(n), '\0');
  MPI_Recv(s.data(), n, MPI_CHAR, st.MPI_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  if (source) *source = st.MPI_SOURCE;
  return json::parse(s);
}

// Naps from 50 us, doubling up to 5 ms: an answer due within a millisecond comes quickly, and a long wait (rank
// 0 planning a large sweep, or finishing its last points) costs next to no CPU.
json wait_recv(int from, int tag) {
  for (long us = 50;; us = std::min(2 * us, 5000L)) {
    if (std::optional<json> j = try_recv(from, tag)) return *j;
    nap(us);
  }
}

json point_to_json(const SweepPoint& p) { return {{"key", p.key}, {"params", p.params}, {"args", p.args}}; }
SweepPoint point_from_json(const json& j) {
  return {j.at("key").get<std::string>(), j.at("params").get<std::string>(),
          j.at("args").get<std::vector<std::string>>()};
}

json opt(const std::optional<double>& v) { return v ? json(*v) : json(); }
std::optional<double> opt(const json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<double>();
}
json row_to_json(const PointRow& r) {
  return {{"key", r.key},         {"params", r.params},           {"status", r.status},
          {"error", r.error},     {"metrics", r.metrics},         {"throughput", opt(r.throughput)},
          {"stall", opt(r.stall_mean)}, {"tco", opt(r.fleet_tco_usd)}, {"energy", opt(r.system_energy_j)}};
}
PointRow row_from_json(const json& j) {
  PointRow r;
  r.key = j.at("key").get<std::string>();
  r.params = j.at("params").get<std::string>();
  r.status = j.at("status").get<std::string>();
  r.error = j.at("error").get<std::string>();
  r.metrics = j.at("metrics").get<std::string>();
  r.throughput = opt(j.at("throughput"));
  r.stall_mean = opt(j.at("stall"));
  r.fleet_tco_usd = opt(j.at("tco"));
  r.system_energy_j = opt(j.at("energy"));
  return r;
}

// Rank 0: the session, its own children, and the peers' asks. Returns the exit code for everyone.
int rank0(const SweepOptions& o, int ranks, std::ostream& out, std::ostream& err) {
  int code = 0;
  std::unique_ptr<SweepSession> s = SweepSession::open(o, out, err, &code);
  // Without a session (bad input) nothing is pending: every worker is told to stop at its first ask.
  const std::vector<SweepPoint> none;
  const std::vector<SweepPoint>& pending = s ? s->pending() : none;
  std::string dir = sweep_dir(o);
  std::size_t next = 0;
  std::vector<int> outstanding(static_cast<std::size_t>(ranks), 0);  // points handed to a rank, not yet back
  std::vector<int> ran(static_cast<std::size_t>(ranks), 0);          // points each rank has finished
  int workers_left = ranks - 1;
  RunnerConfig rc;
  rc.parallel = o.jobs;
  ChildRunner runner(rc);
  while (next < pending.size() || runner.running() > 0 || workers_left > 0) {
    while (next < pending.size() && runner.free_slots() > 0) {
      runner.start(next, point_job(pending[next], dir));
      ++next;
    }
    bool heard = false;
    int from = 0;
    while (std::optional<json> ask = try_recv(MPI_ANY_SOURCE, kTagAsk, &from)) {
      heard = true;
      auto& owed = outstanding[static_cast<std::size_t>(from)];
      for (const json& r : ask->at("rows")) {
        s->record(row_from_json(r));
        --owed;
        ++ran[static_cast<std::size_t>(from)];
      }
      json give = {{"points", json::array()}};
      for (int k = ask->at("want").get<int>(); k > 0 && next < pending.size(); --k) {
        give["points"].push_back(point_to_json(pending[next++]));
        ++owed;
      }
      give["stop"] = next >= pending.size();
      send(give, from, kTagGive);
      if (give["stop"].get<bool>() && owed == 0) --workers_left;  // it has nothing left: it leaves its loop
    }
    if (runner.running() > 0) {
      for (auto& [i, r] : runner.wait(heard ? 0 : kPollMs)) {
        s->record(point_row(pending[i], r, dir));
        ++ran[0];
      }
    } else if (!heard) {
      nap(kPollMs * 1000L);
    }
  }
  if (s) {
    code = s->finish();
    out << fmt::format("sweep: {} MPI ranks ran {} points\n", ranks, fmt::join(ran, ", "));
  }
  for (int w = 1; w < ranks; ++w) send(json{{"exit", code}}, w, kTagEnd);
  return code;
}

// Ranks 1..R-1: ask for points, run them, report them, until told to stop with nothing left running.
int worker(const SweepOptions& o) {
  std::string dir = sweep_dir(o);
  RunnerConfig rc;
  rc.parallel = o.jobs;
  ChildRunner runner(rc);
  std::map<std::size_t, SweepPoint> mine;  // running points by runner tag
  std::size_t tag = 0;
  bool stop = false;
  json rows = json::array();
  for (;;) {
    send(json{{"rows", rows}, {"want", stop ? 0 : runner.free_slots()}}, 0, kTagAsk);
    rows = json::array();
    json give = wait_recv(0, kTagGive);
    for (const json& p : give.at("points")) {
      mine[tag] = point_from_json(p);
      runner.start(tag, point_job(mine[tag], dir));
      ++tag;
    }
    stop = stop || give.at("stop").get<bool>();
    if (runner.running() == 0) {
      if (stop) break;
      continue;
    }
    for (auto& [t, r] : runner.wait()) {
      rows.push_back(row_to_json(point_row(mine.at(t), r, dir)));
      mine.erase(t);
    }
  }
  return wait_recv(0, kTagEnd).at("exit").get<int>();
}

}  // namespace

int run_sweep_mpi(const SweepOptions& options, std::ostream& out, std::ostream& err) {
  // libsimgrid defines every MPI_* function too (SMPI, its simulated MPI). The executable links OpenMPI first
  // (CMakeLists.txt), so OpenMPI's win the lookup; a link that lost that order would crash inside SMPI.
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&MPI_Init), &info) && info.dli_fname && std::strstr(info.dli_fname, "simgrid")) {
    err << "prepsim sweep: MPI_Init resolves to SimGrid's SMPI, not OpenMPI: this build links libsimgrid before "
           "libmpi; rebuild with MPI::MPI_CXX first on the link line of prepsim\n";
    return 1;
  }
  SweepOptions o = options;
  o.redraw = false;
  MPI_Init(nullptr, nullptr);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  cpu_set_t cpus;
  if (rank == 0 && sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) < o.jobs) {
    // Children inherit the rank's CPU binding, which mpirun sets by default (a core per rank for R <= 2).
    err << fmt::format("prepsim sweep: warning: rank 0 is bound to {} CPU(s) but runs -j {} children: pass "
                       "--bind-to none to mpirun\n", CPU_COUNT(&cpus), o.jobs);
  }
  int code = 0;
  try {
    code = rank == 0 ? rank0(o, ranks, out, err) : worker(o);
  } catch (const std::exception& e) {
    // The runner in rank0()/worker() has killed this rank's children on the way out; the other ranks' children
    // die with their ranks (PR_SET_PDEATHSIG) when MPI_Abort ends them.
    err << fmt::format("prepsim sweep: rank {}: {}\n", rank, e.what()) << std::flush;
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Finalize();
  return code;
}

}  // namespace prepsim::analysis

// Facts about the machine prepsim runs on, for provenance blocks: CPU model, host name, load, and the time.
#pragma once

#include <string>

namespace prepsim {

// "model name" of /proc/cpuinfo ("unknown" when unreadable).
std::string cpu_model();
std::string host_name();
// 1-minute load average from /proc/loadavg (0 when unreadable).
double load_average_1min();
// Now, in UTC, ISO 8601: "2026-11-22T04:26:09Z".
std::string utc_now();

}  // namespace prepsim

// `--set key.path=value` overrides on a resolved input tree. A path walks maps by key and lists by index or by
// the `name` of an item ("pipeline.hash.params.max=1M", "trainers.0.prefetch=4"). The key must already exist
// in the resolved tree (defaults included): an override never adds a key, so a typo is an error, not a no-op.
// The value is read as YAML, so lists work ("pools.cpu.hosts=[cpu-0]").
#pragma once

#include <string>

#include "models/config/yaml_doc.h"

namespace prepsim::config {

// Throws InputError (file "--set") naming the first path component that does not exist and what does.
void apply_override(Node& root, const std::string& assignment);

// Refuses (InputError at file:line, key `path`) a key path that does not exist in `root`: what a sweep checks of
// its axis keys against the base scenario before any point runs.
void check_override_key(const Node& root, const std::string& path, const std::string& file, int line);

}  // namespace prepsim::config

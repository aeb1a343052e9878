// libFuzzer target: the located YAML tree reader (models/config/yaml_doc.h) and its writer. Input is refused with
// InputError or read; what is read must write back to YAML that reads again to the same text.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "models/config/input_error.h"
#include "models/config/yaml_doc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  prepsim::config::Node n;
  try {
    n = prepsim::config::load_yaml_string(text, "fuzz.yaml");
  } catch (const prepsim::InputError&) {
    return 0;
  }
  std::string once = prepsim::config::emit_yaml(n);
  try {
    std::string twice = prepsim::config::emit_yaml(prepsim::config::load_yaml_string(once, "emitted.yaml"));
    if (twice != once) std::abort();  // the writer must be stable
  } catch (const prepsim::InputError&) {
    std::abort();  // prepsim wrote YAML it cannot read back (the resolved scenario of every run)
  }
  prepsim::config::Node merged = n;
  prepsim::config::merge_into(merged, n);
  return 0;
}

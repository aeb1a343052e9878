#include "models/devices/device_model.h"

namespace prepsim::devices {

DeviceService device_service(const DeviceModel& model, const std::vector<DeviceStage>& stages, double bytes_in,
                             double bytes_out) {
  return model.service(stages, bytes_in, bytes_out);
}

}  // namespace prepsim::devices

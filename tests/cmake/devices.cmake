# Device models against their own documentation.
# - overload.<kind>: a stage on every device kind under a trainer far faster than the disk: the run must end at its
#   window's end (the wall time is bounded by TIMEOUT, not asserted).
foreach(kind cpu fpga isp smartnic gpu)
  add_test(NAME overload.${kind}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/overload_check.sh $<TARGET_FILE:prepsim>
                   ${CMAKE_SOURCE_DIR}/tests/scenarios/overload ${kind})
  set_tests_properties(overload.${kind} PROPERTIES LABELS engine TIMEOUT 60)
endforeach()

# - platforms.full_duplex: every NIC and PCIe link of a shipped platform carries one direction.
file(GLOB PREPSIM_PLATFORM_XMLS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/platforms/*/*.xml ${CMAKE_SOURCE_DIR}/bench/*.xml
     ${CMAKE_SOURCE_DIR}/tests/scenarios/*/*.xml ${CMAKE_SOURCE_DIR}/tests/plan/*.xml)
add_test(NAME platforms.full_duplex COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/duplex_check.py ${PREPSIM_PLATFORM_XMLS})
set_tests_properties(platforms.full_duplex PROPERTIES LABELS engine)

# - scopes.hosting_server_in_fleet: the server hosting a pool's devices is in the fleet scope, in every run.
add_test(NAME scopes.hosting_server_in_fleet
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/scopes_check.sh $<TARGET_FILE:prepsim> ${CMAKE_SOURCE_DIR})
set_tests_properties(scopes.hosting_server_in_fleet PROPERTIES LABELS engine TIMEOUT 120)

# - docs.device_binding_table: docs/devices.md's table of what binds each device is the shipped sweep's output.
add_test(NAME docs.device_binding_table
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/device_binding_check.sh $<TARGET_FILE:prepsim> ${CMAKE_SOURCE_DIR})
set_tests_properties(docs.device_binding_table PROPERTIES LABELS sweep TIMEOUT 240)

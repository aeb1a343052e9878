# libFuzzer targets (docs/fuzzing.md), built only with -DPREPSIM_FUZZ=ON by clang in their own build folder:
#   CXX=clang++ cmake -S . -B build-fuzz -DPREPSIM_FUZZ=ON && cmake --build build-fuzz
# One executable per input reader: fuzz_<name> from tests/fuzz/fuzz_<name>.cpp.
file(GLOB PREPSIM_FUZZ_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.cpp)
foreach(src ${PREPSIM_FUZZ_SRC})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE prepsim_sim)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endforeach()

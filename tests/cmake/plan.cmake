# prepsim plan: the fewest devices that meet a goal, on a scenario whose answer is computed by hand
# (tests/plan/cpu.yaml): the no-stall and throughput goals, and bad input. tests/plan_check.sh says what each
# case checks; the search and cost arithmetic have unit tests (analysis/plan_*_test.cpp).
foreach(case no_stall throughput bad_input)
  add_test(NAME plan.${case}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/plan_check.sh $<TARGET_FILE:prepsim> ${CMAKE_SOURCE_DIR} ${case})
  set_tests_properties(plan.${case} PROPERTIES LABELS plan TIMEOUT 120)
endforeach()

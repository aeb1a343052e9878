# prepsim plot: one test per figure kind (PNG and SVG, valid and saying what they should), bad input and
# a Python without matplotlib. Needs Debian's python3-matplotlib; tests/plot_check.sh says what each case checks.
foreach(case axis pareto energy plan validation bad_input no_matplotlib)
  add_test(NAME plot.${case}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/plot_check.sh $<TARGET_FILE:prepsim> ${CMAKE_SOURCE_DIR} ${case})
  set_tests_properties(plot.${case} PROPERTIES LABELS plot TIMEOUT 120)
endforeach()

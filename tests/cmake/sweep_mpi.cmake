# prepsim sweep under mpirun, in builds with MPI (cmake -DPREPSIM_MPI, docs/sweep.md "Under MPI"): 2 ranks give
# the same rows as one process, every point once; reruns and resumes; failures recorded; bad input exits 2.
if(PREPSIM_HAVE_MPI)
  add_test(NAME sweep.mpi
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/sweep_mpi_check.sh $<TARGET_FILE:prepsim> ${CMAKE_SOURCE_DIR}
                   ${MPIEXEC_EXECUTABLE})
  set_tests_properties(sweep.mpi PROPERTIES LABELS sweep TIMEOUT 180)
endif()

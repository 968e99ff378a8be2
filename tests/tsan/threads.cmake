# ww_label_threads(<gtest target> <regex>): appends the label `threads` to the discovered
# GoogleTest cases of <target> whose names match <regex>, so that `make test-tsan`
# (ctest -L threads in a ThreadSanitizer build) runs them. Test names are only known once
# gtest_discover_tests has run the executable, so the labelling is a ctest-time script included
# after the discovered list (<target>_TESTS).
function(ww_label_threads target regex)
  set(script ${CMAKE_CURRENT_BINARY_DIR}/${target}_threads.cmake)
  file(CONFIGURE OUTPUT ${script} CONTENT [=[
foreach(t IN LISTS @target@_TESTS)
  if(t MATCHES "@regex@")
    set_tests_properties("${t}" PROPERTIES LABELS "unit;threads")
  endif()
endforeach()
]=] @ONLY)
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${script})
endfunction()

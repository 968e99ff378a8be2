# OPML import/export (daemon/feed/opml.cpp), include()d from tests/unit/feed/CMakeLists.txt.
# The command's tests run the real `wirewatch` binary.
ww_unit_test(test_opml SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_opml.cpp
             LIBS ww_core ww_config ww_feed pugixml::pugixml)
add_dependencies(test_opml wirewatch)
target_compile_definitions(test_opml PRIVATE
  WW_OPML_FIXTURES="${CMAKE_CURRENT_LIST_DIR}/../../fixtures/opml"
  WW_OPML_CLI="$<TARGET_FILE:wirewatch>")

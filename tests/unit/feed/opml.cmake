# OPML import/export (daemon/feed/opml.cpp), include()d from tests/unit/feed/CMakeLists.txt.
# opml.cpp is compiled in directly until it is part of ww_feed; linking ww_feed as well is then
# harmless (the archive's copy is never pulled in).
ww_unit_test(test_opml SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_opml.cpp ${WW_DAEMON_DIR}/feed/opml.cpp
             LIBS ww_core ww_config ww_feed pugixml::pugixml)

# A private `wirewatch` with only the opml command, so that the command is tested end to end
# before the real binary links it (cmd_opml.cpp compiles to nothing without WW_FEED_HAS_OPML, which ww_feed will define PUBLIC
# once it holds opml.cpp).
add_executable(wirewatch_opml_cli ${WW_DAEMON_DIR}/cli/main.cpp ${WW_DAEMON_DIR}/cli/cmd_opml.cpp
               ${WW_DAEMON_DIR}/feed/opml.cpp)
target_compile_definitions(wirewatch_opml_cli PRIVATE WW_FEED_HAS_OPML WW_VERSION="${PROJECT_VERSION}")
target_link_libraries(wirewatch_opml_cli PRIVATE ww_core ww_config ww_feed pugixml::pugixml)

add_dependencies(test_opml wirewatch_opml_cli)
target_compile_definitions(test_opml PRIVATE
  WW_OPML_FIXTURES="${CMAKE_CURRENT_LIST_DIR}/../../fixtures/opml"
  WW_OPML_CLI="$<TARGET_FILE:wirewatch_opml_cli>")

# costcover_library(NAME [PURE] DEPS ... PRIVATE_DEPS ... EXCLUDE ...): a static library
# from every .cpp in the current folder (src/<part>/) except the EXCLUDE file names, so
# that adding a source file needs no edit here.
#
# The build enforces the direction of the dependencies. Headers are included as
# "part/file.hpp", and a library sees only the parts it depends on: each part's folder
# is reachable through an include folder of its own in the build tree
# (include/<part>/<part> -> src/<part>), which a library passes on to what links it. So
# rating, which links model and core, finds "model/model.hpp" but not "db/job.hpp". A
# PURE library also gets cmake/forbidden/ first on its include path, whose soci/,
# libpq-fe.h and yaml-cpp/ headers stop the compilation with an error: those live in
# /usr/include, which every compiler searches. (contracts, the YAML loader, is pure but
# may use yaml-cpp: ALLOW_YAML.)
function(costcover_part_include name)
  get_filename_component(part ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  set(dir ${PROJECT_BINARY_DIR}/include/${part})
  file(MAKE_DIRECTORY ${dir})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${dir}/${part} SYMBOLIC)
  set(${name} ${dir} PARENT_SCOPE)
endfunction()

# Puts the forbidden headers first on a target's include path (PRIVATE: consumers that may
# use SOCI are not affected).
function(costcover_pure_context target)
  cmake_parse_arguments(ARG "ALLOW_YAML" "" "" ${ARGN})
  target_include_directories(${target} BEFORE PRIVATE ${PROJECT_SOURCE_DIR}/cmake/forbidden/database)
  if(NOT ARG_ALLOW_YAML)
    target_include_directories(${target} BEFORE PRIVATE ${PROJECT_SOURCE_DIR}/cmake/forbidden/yaml)
  endif()
endfunction()

function(costcover_library name)
  cmake_parse_arguments(ARG "PURE;ALLOW_YAML" "" "DEPS;PRIVATE_DEPS;EXCLUDE" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  foreach(excluded IN LISTS ARG_EXCLUDE)
    list(REMOVE_ITEM sources ${CMAKE_CURRENT_SOURCE_DIR}/${excluded})
  endforeach()
  costcover_part_include(include_dir)
  if(sources)
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC ${include_dir})
    target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS} costcover_warnings)
    if(ARG_PURE)
      if(ARG_ALLOW_YAML)
        costcover_pure_context(${name} ALLOW_YAML)
      else()
        costcover_pure_context(${name})
      endif()
    endif()
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${include_dir})
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
  endif()
endfunction()

# costcover_test(NAME DEPS ...): one GoogleTest executable from the .cpp files of a test
# folder, registered with CTest.
function(costcover_test name)
  cmake_parse_arguments(ARG "" "" "DEPS;LABELS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main costcover_warnings)
  target_compile_definitions(${name} PRIVATE COSTCOVER_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    COSTCOVER_BINARY_DIR="${PROJECT_BINARY_DIR}")
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()

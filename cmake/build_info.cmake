# Run by the build at every build (apps/CMakeLists.txt): writes OUTPUT, the
# definition of crm::cli::build_version(), from VERSION and, in a git
# checkout, the commit (", modified" when tracked files differ from it).
# configure_file leaves OUTPUT untouched when the text is the same, so an
# unchanged commit recompiles nothing.
set(text "${VERSION}")
execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE failed ERROR_QUIET)
if(NOT failed AND commit)
  execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    set(text "${text} (git ${commit}, modified)")
  else()
    set(text "${text} (git ${commit})")
  endif()
endif()
set(CRM_BUILD_VERSION "${text}")
configure_file("${CMAKE_CURRENT_LIST_DIR}/build_info.cpp.in" "${OUTPUT}" @ONLY)

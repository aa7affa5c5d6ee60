# Fails unless DOC quotes FILE word for word, from the line that starts with FROM up to (not
# including) the line that starts with TO: a page that shows a source file cannot drift from it.
#   cmake -DDOC=docs/x.md -DFILE=src/y.cpp -DFROM=... -DTO=... -P doc_quotes_file.cmake
file(READ "${DOC}" doc)
file(READ "${FILE}" source)
string(FIND "${source}" "${FROM}" begin)
string(FIND "${source}" "${TO}" end REVERSE)
if(begin EQUAL -1 OR end EQUAL -1 OR end LESS begin)
  message(FATAL_ERROR "${FILE}: no text from '${FROM}' to '${TO}'")
endif()
math(EXPR length "${end} - ${begin}")
string(SUBSTRING "${source}" ${begin} ${length} quoted)
string(STRIP "${quoted}" quoted)
string(FIND "${doc}" "${quoted}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${DOC} does not show ${FILE} as it is now (from '${FROM}' to '${TO}')")
endif()

# Citations and model pages (tests/docs_check.py SOURCE_DIR CHECK):
# - docs.no_outside_notes: no file of the repository cites a note that lives outside it; sources are cited as
#   docs/sources.md#ANCHOR, the design as the docs page on the subject;
# - docs.source_anchors_exist: every docs/sources.md#ANCHOR cited in the tree is an anchor of docs/sources.md;
# - docs.model_pages_shape: every docs page about a model has "Scope and limitations" and "Validation" sections;
# - docs.folder_readmes: the README.md of models/, analysis/ and tests/ names every file there.
add_test(NAME docs.no_outside_notes COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/docs_check.py ${CMAKE_SOURCE_DIR} outside-notes)
add_test(NAME docs.source_anchors_exist COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/docs_check.py ${CMAKE_SOURCE_DIR} anchors)
add_test(NAME docs.model_pages_shape COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/docs_check.py ${CMAKE_SOURCE_DIR} model-pages)
add_test(NAME docs.folder_readmes COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/docs_check.py ${CMAKE_SOURCE_DIR} readmes)
set_tests_properties(docs.no_outside_notes docs.source_anchors_exist docs.model_pages_shape docs.folder_readmes
                     PROPERTIES LABELS docs)

#include "models/config/xml_scan.h"

#include <gtest/gtest.h>

#include "models/config/input_error.h"

namespace prepsim::config {
namespace {

int refused_at(const std::string& text) {
  try {
    scan_xml(text, "p.xml");
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "p.xml");
    return e.line();
  }
  return 0;
}

TEST(XmlScan, ElementsAttributesAndLines) {
  XmlElement root = scan_xml(
      "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"x.dtd\">\n<!-- a <comment> -->\n<platform version=\"4.1\">\n"
      "  <zone id='z' routing=\"Full\">\n    <host id=\"a&amp;b\" speed=\"1Gf\"/>\n"
      "    <link id=\"l\" bandwidth=\"1GBps\">text<![CDATA[<x>]]></link>\n  </zone>\n</platform>\n",
      "p.xml");
  EXPECT_EQ(root.name, "platform");
  EXPECT_EQ(root.line, 4);
  ASSERT_EQ(root.children.size(), 1u);
  const XmlElement& zone = root.children[0];
  EXPECT_EQ(*zone.attribute("routing"), "Full");
  ASSERT_EQ(zone.children.size(), 2u);
  EXPECT_EQ(*zone.children[0].attribute("id"), "a&b");
  EXPECT_EQ(zone.children[0].line, 6);
  EXPECT_EQ(zone.children[1].line, 7);
  EXPECT_EQ(zone.attribute("missing"), nullptr);
}

TEST(XmlScan, CharacterReferencesBecomeUtf8) {
  XmlElement root = scan_xml("<a v=\"&#233;&#x20AC;\"/>", "p.xml");
  EXPECT_EQ(*root.attribute("v"), "\xC3\xA9\xE2\x82\xAC");
}

TEST(XmlScan, MalformedMarkupIsRefusedAtItsLine) {
  EXPECT_EQ(refused_at("<a>\n<b>\n</a>\n"), 3);              // mismatched end tag
  EXPECT_EQ(refused_at("<a>\n<b/>\n"), 1);                   // never closed
  EXPECT_EQ(refused_at("<a x=\"1\" x=\"2\"/>"), 1);          // duplicate attribute
  EXPECT_EQ(refused_at("<a/>\n<b/>\n"), 2);                  // second root
  EXPECT_EQ(refused_at("<a x=1/>"), 1);                      // unquoted
  EXPECT_EQ(refused_at("<a x=\"1/>"), 1);                    // unclosed value
  EXPECT_EQ(refused_at("\n<!-- open"), 2);                   // unclosed comment
  EXPECT_EQ(refused_at("<a x=\"&bogus;\"/>"), 1);            // unknown entity
  EXPECT_EQ(refused_at("<a x=\"&#0;\"/>"), 1);               // NUL reference
  EXPECT_EQ(refused_at("<a x=\"&#xD800;\"/>"), 1);           // surrogate
  EXPECT_EQ(refused_at("just text"), 1);                     // no element
  EXPECT_EQ(refused_at("</a>"), 1);                          // end tag first
  EXPECT_EQ(refused_at("< a/>"), 1);                         // no name
}

TEST(XmlScan, DeepNestingIsRefusedNotAStackOverflow) {
  std::string deep;
  for (int i = 0; i < kMaxXmlDepth + 1; ++i) deep += "<a>";
  EXPECT_GT(refused_at(deep), 0);
  std::string ok;
  for (int i = 0; i < kMaxXmlDepth; ++i) ok += "<a>";
  for (int i = 0; i < kMaxXmlDepth; ++i) ok += "</a>";
  EXPECT_EQ(refused_at(ok), 0);
}

}  // namespace
}  // namespace prepsim::config

# Fixture for thrift-swift-gen and the interop tests: every type, requiredness and default the
# generator supports, plus names that would trip naive generated code. Also compiled by Apache
# Thrift (`thrift --gen py`), so names stay clear of its reserved words. Regenerate the Swift
# with `make generate`.

namespace py alltypes

/** Colours; GREEN's value is implied (2), DEFAULT and NONE become Swift cases needing care. */
enum Color {
  RED = 1,
  GREEN,
  BLUE = 10;
  DEFAULT = 20  // `default` is a Swift keyword
  NONE = 21     // must not be mistaken for Optional.none
}

/// A small struct, used nested, as a list element and as a map key.
struct Inner {
  1: string name
  2: i32 count
}

/// One field of every type. Apart from the required one, fields are optional or have IDL
/// defaults, so that an all-defaults value encodes the same in Swift and in Apache's Python.
struct AllTypes {
  1: optional bool flag
  2: optional byte tiny
  3: optional i16 small
  4: optional i32 medium
  5: optional i64 large
  6: optional double real
  7: optional string text
  8: optional binary blob
  9: optional Inner inner
  10: optional list<i32> numbers
  11: optional list<string> words
  12: optional set<string> wordSet
  13: optional set<i64> longSet
  14: optional map<string, i32> counts
  15: optional map<i32, string> names
  16: optional map<string, list<string>> groups
  17: optional list<list<i32>> matrix
  18: Color color
  19: optional string optionalText
  20: required i32 requiredNumber
  21: i32 answer = 42
  22: double ratio = 1.5
  23: double wholeRatio = 2
  24: string greeting = "hello"
  25: bool enabled = true
  26: Color shade = Color.BLUE
  27: optional i64 offset = -1
  28: i8 tinyDefault = -3
  29: required Color requiredColor = Color.GREEN
  30: optional set<Color> colorSet
  31: optional map<Color, Inner> innerByColor
  32: optional list<Inner> inners
  33: optional map<bool, string> boolKeys
  34: optional set<binary> blobSet
  35: optional map<Inner, string> innerNames
  36: optional map<i64, map<string, set<i32>>> deeplyNested
}

/* Fields named like Swift keywords or like the locals the generated code declares. */
struct TrickyNames {
  1: i32 repeat
  2: optional string guard
  3: string reader
  4: optional string writer
  5: i32 field
  6: list<i32> header
  7: map<string, list<i32>> key
  8: list<i32> element
  9: optional i32 where
  10: Color init
}

/// A declared exception; `parts` collides with the local its description builds.
exception Problem {
  1: optional string message
  2: i32 code
  3: optional Color color
  4: optional string parts
}

/// A parent service.
service Base {
  /// Does nothing.
  void Ping()
  i32 Add(1: i32 a, 2: i32 b)
}

/// A child service: its processor and client also serve and call Base's methods.
service Derived extends Base {
  Inner Locate(1: string name, 2: Color color, 3: optional Inner hint) throws (1: Problem problem)
  i32 Echo(1: i32 caller, 2: i32 result)
  void Default(1: i32 repeat) throws (1: Problem problem)
}

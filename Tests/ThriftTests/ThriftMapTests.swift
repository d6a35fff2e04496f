import Testing
import Thrift

@Suite("ThriftMap and ThriftSet keep their entries sorted")
struct ThriftMapTests {
    @Test func entriesAreSortedWhateverTheInsertionOrder() {
        var forwards = ThriftMap<String, Int32>()
        var backwards = ThriftMap<String, Int32>()
        var scattered = ThriftMap<String, Int32>()
        let keys = (0..<50).map { "key-\($0)" }
        for (offset, key) in keys.enumerated() { forwards[key] = Int32(offset) }
        for (offset, key) in keys.enumerated().reversed() { backwards[key] = Int32(offset) }
        for step in 0..<50 {
            let offset = (step * 17) % 50
            scattered.updateValue(Int32(offset), forKey: keys[offset])
        }
        let fromDictionary = ThriftMap(Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, Int32($0)) }))
        #expect(forwards.keys == keys.sorted())
        #expect(backwards == forwards)
        #expect(scattered == forwards)
        #expect(fromDictionary == forwards)
        #expect(Array(forwards.map(\.key)) == forwards.keys)
        #expect(forwards.values == forwards.keys.map { forwards[$0]! })
    }

    @Test func theEntriesLentInPlaceAreTheMapsInKeyOrder() {
        let map: ThriftMap<String, Int32> = ["b": 2, "c": 3, "a": 1]
        let (keys, values) = map.withUnsafeEntries { keys, values in (Array(keys), Array(values)) }
        #expect(keys == ["a", "b", "c"])
        #expect(values == [1, 2, 3])
        #expect(ThriftMap<String, Int32>().withUnsafeEntries { keys, values in keys.count + values.count } == 0)
    }

    @Test func stringKeysSortByTheirUTF8Bytes() {
        // Upper case before lower case, a prefix before its extensions, and a decomposed "é"
        // (e + U+0301) before the precomposed one (U+00E9): two keys, as on the wire.
        let decomposed = "e\u{301}", precomposed = "\u{E9}"
        #expect(decomposed == precomposed)
        let map: ThriftMap<String, Int32> = [precomposed: 1, decomposed: 2, "f": 3, "Z": 4, "ab": 5, "a": 6, "abcdefgh-2": 7, "abcdefgh-10": 8]
        #expect(map.keys.map { Array($0.utf8) } == map.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(map.keys == ["Z", "a", "ab", "abcdefgh-10", "abcdefgh-2", decomposed, "f", precomposed])
        #expect(map[precomposed] == 1)
        #expect(map[decomposed] == 2)
        // A dictionary, which calls the two equal, keeps one of them rather than trapping.
        #expect(Dictionary(map).count == map.count - 1)
    }

    @Test func sortingByPrefixesAgreesWithTheFullComparison() {
        // Keys that tie on their first 8 bytes, zero bytes against the padding, the empty key,
        // multi-byte characters across the 8-byte boundary, duplicates: built out of order, the
        // map's order is that of the full byte comparison, and the last of equal keys wins.
        var keys = ["", "\0", "\0\0", "a", "a\0", "a\0b", "abcdefgh", "abcdefgh\0", "abcdefgha", "abcdefg\u{E9}", "abcdefg\u{E9}x", "\u{FFFF}"]
        keys += (0..<300).map { "t\($0)" } + (0..<40).map { "task-prefix-\($0 * 7919 % 40)" }
        var builder = ThriftMap<String, Int>.Builder(capacity: keys.count * 2)
        for (offset, key) in keys.enumerated().reversed() { builder.append(key, -offset) }
        for (offset, key) in keys.enumerated() { builder.append(key, offset) }
        let map = builder.build()
        let bytes = keys.map { Array($0.utf8) }
        let expected = Set(bytes).sorted { $0.lexicographicallyPrecedes($1) }
        #expect(map.keys.map { Array($0.utf8) } == expected)
        #expect(map.keys.allSatisfy { map[$0]! >= 0 })
        // Keys that all start alike (task ids), one of them that start alone, one with a zero after it.
        var ids: [String] = ["task-", "task-\0", "task-00"]
        for step in 0..<500 {
            let number = String((step * 7919) % 1000 + 1000)
            ids.append("task-" + number.dropFirst())
        }
        let idMap = ThriftMap<String, Int>(uniqueKeysWithValues: ids.enumerated().map { ($0.element, $0.offset) })
        #expect(idMap.keys.map { Array($0.utf8) } == ids.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        let numbers: ThriftSet<Int32> = [.max, .min, -1, 0, 1, 7, -7, .max, .min]
        #expect(Array(numbers) == [.min, -7, -1, 0, 1, 7, .max])
        let wide: ThriftSet<Int64> = [.max, .min, -1, 0, 1]
        #expect(Array(wide) == [.min, -1, 0, 1, .max])
    }

    @Test func otherKeyTypesHaveTheirOwnOrder() {
        let doubles: ThriftSet<Double> = [1, -0.0, 0.0, -.infinity, .infinity, -2.5]
        #expect(doubles.map(\.bitPattern) == [-.infinity, -2.5, -0.0, 0.0, 1, .infinity].map(\.bitPattern))
        #expect(doubles.count == 6)
        let flags: ThriftSet<Bool> = [true, false, true]
        #expect(Array(flags) == [false, true])
        let blobs: ThriftSet<[UInt8]> = [[2], [1, 0], [], [1]]
        #expect(Array(blobs) == [[], [1], [1, 0], [2]])
        let numbers: ThriftMap<Int64, String> = [5: "five", -3: "minus three", 0: "zero"]
        #expect(numbers.keys == [-3, 0, 5])
        #expect(numbers[5] == "five")
    }

    @Test func lookupsAndChangesBehaveAsADictionarys() {
        var map: ThriftMap<String, Int32> = ["b": 2, "d": 4]
        #expect(map["a"] == nil)
        let replaced = map.updateValue(20, forKey: "b")
        let added = map.updateValue(3, forKey: "c")
        #expect(replaced == 2 && added == nil)
        map["a"] = 1
        map["e", default: 0] += 5
        map["d", default: 0] += 1
        #expect(map == ["a": 1, "b": 20, "c": 3, "d": 5, "e": 5])
        let removed = map.removeValue(forKey: "c")
        let removedAgain = map.removeValue(forKey: "c")
        #expect(removed == 3 && removedAgain == nil)
        map["a"] = nil
        #expect(map.keys == ["b", "d", "e"])
        #expect(map.index(forKey: "d").map { map[$0].value } == 5)
        #expect(map.filter { $0.value == 5 } == ["d": 5, "e": 5])
        #expect(map.mapValues { $0 * 2 } == ["b": 40, "d": 10, "e": 10])
        #expect(map.compactMapValues { $0 > 5 ? String($0) : nil } == ["b": "20"])
        #expect(map.description == #"["b": 20, "d": 5, "e": 5]"#)
        #expect(ThriftMap<String, Int32>().description == "[:]")
        #expect(Set([map, ["b": 20, "d": 5, "e": 5]]).count == 1)
        map.removeAll()
        #expect(map.isEmpty)
    }

    @Test func theBuilderSortsOnlyWhatArrivesOutOfOrderAndKeepsTheLastOfEqualKeys() {
        var ascending = ThriftMap<String, Int32>.Builder(capacity: 3)
        for (offset, key) in ["a", "b", "c"].enumerated() { ascending.append(key, Int32(offset)) }
        #expect(ascending.build() == ["a": 0, "b": 1, "c": 2])

        var shuffled = ThriftMap<String, Int32>.Builder(capacity: 6)
        for (key, value) in [("c", 1), ("a", 2), ("c", 3), ("b", 4), ("a", 5), ("c", 6)] { shuffled.append(key, Int32(value)) }
        #expect(shuffled.count == 6)
        #expect(shuffled.build() == ["a": 5, "b": 4, "c": 6])

        var repeated = ThriftMap<String, Int32>.Builder(capacity: 2)
        repeated.append("a", 1)
        repeated.append("a", 2)
        #expect(repeated.build() == ["a": 2])

        var elements = ThriftSet<Int32>.Builder(capacity: 5)
        for element: Int32 in [3, 1, 3, 2, 1] { elements.append(element) }
        #expect(Array(elements.build()) == [1, 2, 3])
    }

    @Test func setsKeepOneOfEachElementInOrder() {
        var set: ThriftSet<String> = ["b", "a", "b"]
        #expect(Array(set) == ["a", "b"])
        let insertedNew = set.insert("c")
        let insertedAgain = set.insert("a")
        #expect(insertedNew && !insertedAgain)
        #expect(set.contains("b"))
        let removed = set.remove("b")
        let removedAgain = set.remove("b")
        #expect(removed == "b" && removedAgain == nil)
        #expect(set == ThriftSet(["c", "a"]))
        #expect(set.description == #"["a", "c"]"#)
        #expect(Set(set) == ["a", "c"])
    }
}

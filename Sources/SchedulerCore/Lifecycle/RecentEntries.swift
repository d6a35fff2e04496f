/// A map that keeps the entries written most recently, for histories that must not grow without
/// bound: two generations of at most `generationSize` entries each. Writes go to the newer one;
/// when it is full, the older generation is dropped and the newer takes its place. Reads look in
/// both, newer first. Bounded: at most 2 × `generationSize` entries, and an entry written within
/// the last `generationSize` writes of new keys is always kept.
struct RecentEntries<Key: Hashable, Value> {
    let generationSize: Int
    private var newer: [Key: Value] = [:]
    private var older: [Key: Value] = [:]

    init(generationSize: Int) {
        precondition(generationSize > 0)
        self.generationSize = generationSize
    }

    /// Entries held now, both generations counted (a key in both counts twice).
    var count: Int { newer.count + older.count }

    subscript(key: Key) -> Value? {
        get { newer[key] ?? older[key] }
        set {
            guard let newValue else {
                newer[key] = nil
                older[key] = nil
                return
            }
            if newer[key] == nil, newer.count >= generationSize {
                older = newer
                newer = [:]
            }
            newer[key] = newValue
        }
    }
}
extension RecentEntries: Sendable where Key: Sendable, Value: Sendable {}

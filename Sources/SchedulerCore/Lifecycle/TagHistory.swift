/// The tags seen per requestor+basis (docs/scoot.md, "Tags, basis, priority and requestors"): a job
/// whose tag was seen for its key but is not the newest is refused. Unlike Scoot, the first tag of
/// a key is recorded too, so re-submitting it after a newer tag is refused as well.
/// Bounded, unlike Scoot's: the keys written most recently are kept, at most 2 ×
/// `generationSize`; a key not used for that long forgets its tags (its next job is taken as new).
struct TagHistory {
    /// Tags kept per key, oldest dropped first (Scoot's limit).
    static let tagsPerKey = 100
    /// Requestor+basis keys per generation of `RecentEntries`.
    static let generationSize = 10_000

    private var tagsByKey = RecentEntries<String, [String]>(generationSize: generationSize)

    /// Scoot keys the history by the plain concatenation requestor + basis.
    private static func key(requestor: String, basis: String) -> String { requestor + basis }

    /// Throws when `tag` is in the history of requestor+basis but is not its newest tag.
    func check(requestor: String, basis: String, tag: String) throws(SchedulerError) {
        guard let tags = tagsByKey[Self.key(requestor: requestor, basis: basis)], let newest = tags.last else { return }
        if tag != newest, tags.contains(tag) {
            throw .invalidRequest("expired tag=\(tag) for basis=\(basis). Expected either tag=\(newest) or new tag")
        }
    }

    /// Makes `tag` the newest tag of requestor+basis (call after `check` passed).
    mutating func record(requestor: String, basis: String, tag: String) {
        let key = Self.key(requestor: requestor, basis: basis)
        var tags = tagsByKey[key] ?? []
        guard tags.last != tag else { return }
        tags.append(tag)
        if tags.count > Self.tagsPerKey { tags.removeFirst(tags.count - Self.tagsPerKey) }
        tagsByKey[key] = tags
    }
}

/// The settings operations of CloudScoot (docs/scoot.md, "The CloudScoot calls", #6–15), validated
/// where Scoot accepts values that break it (docs/deviations.md). A valid new value is written to
/// the journal, if any, before it takes effect — in the journal writer's next group commit, with
/// the actor free meanwhile; when that fails, the setter fails and nothing changes. A value equal
/// to the one in effect (and durable) is not written again.
extension Scheduler {
    /// Sets the task throttle: −1 = unlimited, 0 = accept nothing, N = at most N running +
    /// waiting tasks (enforced at admission unless the throttle mode is advisory).
    public nonisolated func setMaxTasks(_ maxTasks: Int) async throws(SchedulerError) {
        try JobValidation.validateMaxTasks(maxTasks)
        try await changeSettings { $0.maxTasks = maxTasks }
    }

    /// The normalized class → percent map.
    public func getClassLoadPercents() -> [String: Int] { classLoadPercents }

    /// Replaces the class → percent map, normalized to a sum of 100; an empty map, a negative
    /// value or all zeros is refused.
    public nonisolated func setClassLoadPercents(_ percents: [String: Int]) async throws(SchedulerError) {
        do {
            try ClassLoadPercents.validate(percents)
        } catch {
            throw .invalidRequest(error.description)
        }
        let normalized = ClassLoadPercents.normalized(percents)
        try await changeSettings { $0.classLoadPercents = normalized }
    }

    /// The requestor regex → class map.
    public func getRequestorToClassMap() -> [String: String] { requestorClassifier.patterns }

    /// Classes the requestor map names that have no load percent.
    public func danglingRequestorClasses() -> [String] { requestorClassifier.danglingClasses(against: classLoadPercents) }

    /// Replaces the requestor regex → class map; an invalid regex is refused. A class without a
    /// percent is accepted, as Scoot does (a client restoring the map before the percents must not
    /// lose it): requestors its patterns match are unmatched, and GetClusterLoad names it.
    public nonisolated func setRequestorToClassMap(_ map: [String: String]) async throws(SchedulerError) {
        let classifier: RequestorClassifier
        do {
            classifier = try RequestorClassifier(map)
        } catch {
            throw .invalidRequest(error.description)
        }
        try await changeSettings(classifier: classifier) { $0.requestorToClassMap = classifier.patterns }
    }

    /// Minutes the spread must stay above the threshold before a rebalance; ≤ 0 disables it.
    public func getRebalanceMinimumDuration() -> Int { rebalanceMinimumDurationMinutes }

    /// Sets the rebalance minimum duration in minutes (any value).
    public nonisolated func setRebalanceMinimumDuration(_ minutes: Int) async throws(SchedulerError) {
        try await changeSettings { $0.rebalanceMinimumDurationMinutes = minutes }
    }

    /// The spread threshold in percentage points; ≤ 0 disables rebalancing.
    public func getRebalanceThreshold() -> Int { rebalanceThreshold }

    /// Sets the rebalance threshold (any value).
    public nonisolated func setRebalanceThreshold(_ threshold: Int) async throws(SchedulerError) {
        try await changeSettings { $0.rebalanceThreshold = threshold }
    }

    /// A settings change staged on the actor, waiting for its journal write.
    struct SettingsChange: Sendable {
        let number: Int
        let settings: SchedulerSettings
        let classifier: RequestorClassifier?
        /// Its journal write, queued when it was staged: changes reach the journal in the order
        /// they build on each other, so that the last one written holds them all.
        let journalWrite: JournalWriter.PendingWrite?
    }

    /// Stages `edit` on top of the last staged change (or the settings in effect), writes it, and
    /// applies it once durable.
    private nonisolated func changeSettings(
        classifier: RequestorClassifier? = nil, _ edit: @Sendable (inout SchedulerSettings) -> Void
    ) async throws(SchedulerError) {
        guard let change = await stageSettings(classifier: classifier, edit) else { return }
        if let write = change.journalWrite {
            do {
                try await write.durable()
            } catch {
                await unstage(change)
                throw .failed("could not persist the settings: \(error)")
            }
        }
        await apply(change)
    }

    /// The change numbered and staged; nil when it changes nothing and nothing is in flight.
    private func stageSettings(classifier: RequestorClassifier?, _ edit: (inout SchedulerSettings) -> Void) -> SettingsChange? {
        let base = stagedSettings?.settings ?? currentSettings
        var settings = base
        edit(&settings)
        if stagedSettings == nil, settings == base { return nil }
        settingsChangesStaged += 1
        stagedSettings = (settingsChangesStaged, settings)
        return SettingsChange(
            number: settingsChangesStaged, settings: settings, classifier: classifier,
            journalWrite: journalWriter?.queue(.settingsChanged(settings)))
    }

    private func unstage(_ change: SettingsChange) {
        if stagedSettings?.number == change.number { stagedSettings = nil }
    }

    /// Puts a durable change into effect, unless a later one already is (the journal commits in
    /// order, so the later one holds this one's edits too).
    private func apply(_ change: SettingsChange) {
        if stagedSettings?.number == change.number { stagedSettings = nil }
        guard change.number > settingsChangesApplied else { return }
        settingsChangesApplied = change.number
        let settings = change.settings
        if settings.requestorToClassMap != requestorClassifier.patterns {
            // Compiled when the map was set; a later change built on it carries the same patterns.
            requestorClassifier = change.classifier ?? (try? RequestorClassifier(settings.requestorToClassMap)) ?? requestorClassifier
        }
        classLoadPercents = settings.classLoadPercents
        rebalanceThreshold = settings.rebalanceThreshold
        rebalanceMinimumDurationMinutes = settings.rebalanceMinimumDurationMinutes
        maxTasks = settings.maxTasks
    }
}

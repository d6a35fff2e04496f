/// The settings operations of CloudScoot (docs/scoot.md, "The CloudScoot calls", #6–15), validated
/// where Scoot accepts values that break it (docs/deviations.md). A valid new value is written to
/// the journal, if any, before it takes effect; when that fails, the setter fails and nothing
/// changes.
extension Scheduler {
    /// Sets the task throttle: −1 = unlimited, 0 = accept nothing, N = at most N running +
    /// waiting tasks (enforced at admission unless the throttle mode is advisory).
    public func setMaxTasks(_ maxTasks: Int) throws(SchedulerError) {
        try JobValidation.validateMaxTasks(maxTasks)
        var settings = currentSettings
        settings.maxTasks = maxTasks
        try persist(settings)
        self.maxTasks = maxTasks
    }

    /// The normalized class → percent map.
    public func getClassLoadPercents() -> [String: Int] { classLoadPercents }

    /// Replaces the class → percent map, normalized to a sum of 100; an empty map, a negative
    /// value or all zeros is refused.
    public func setClassLoadPercents(_ percents: [String: Int]) throws(SchedulerError) {
        do {
            try ClassLoadPercents.validate(percents)
        } catch {
            throw .invalidRequest(error.description)
        }
        var settings = currentSettings
        settings.classLoadPercents = ClassLoadPercents.normalized(percents)
        try persist(settings)
        classLoadPercents = settings.classLoadPercents
    }

    /// The requestor regex → class map.
    public func getRequestorToClassMap() -> [String: String] { requestorClassifier.patterns }

    /// Classes the requestor map names that have no load percent.
    public func danglingRequestorClasses() -> [String] { requestorClassifier.danglingClasses(against: classLoadPercents) }

    /// Replaces the requestor regex → class map; an invalid regex is refused. A class without a
    /// percent is accepted, as Scoot does (a client restoring the map before the percents must not
    /// lose it): requestors its patterns match are unmatched, and GetClusterLoad names it.
    public func setRequestorToClassMap(_ map: [String: String]) throws(SchedulerError) {
        let classifier: RequestorClassifier
        do {
            classifier = try RequestorClassifier(map)
        } catch {
            throw .invalidRequest(error.description)
        }
        var settings = currentSettings
        settings.requestorToClassMap = classifier.patterns
        try persist(settings)
        requestorClassifier = classifier
    }

    /// Minutes the spread must stay above the threshold before a rebalance; ≤ 0 disables it.
    public func getRebalanceMinimumDuration() -> Int { rebalanceMinimumDurationMinutes }

    /// Sets the rebalance minimum duration in minutes (any value).
    public func setRebalanceMinimumDuration(_ minutes: Int) throws(SchedulerError) {
        var settings = currentSettings
        settings.rebalanceMinimumDurationMinutes = minutes
        try persist(settings)
        rebalanceMinimumDurationMinutes = minutes
    }

    /// The spread threshold in percentage points; ≤ 0 disables rebalancing.
    public func getRebalanceThreshold() -> Int { rebalanceThreshold }

    /// Sets the rebalance threshold (any value).
    public func setRebalanceThreshold(_ threshold: Int) throws(SchedulerError) {
        var settings = currentSettings
        settings.rebalanceThreshold = threshold
        try persist(settings)
        rebalanceThreshold = threshold
    }
}

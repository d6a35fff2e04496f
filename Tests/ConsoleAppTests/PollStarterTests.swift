import NIOCore
import NIOPosix
import Synchronization
import Testing
import Thrift
@testable import ConsoleApp

@Suite("Poll starter")
struct PollStarterTests {
    /// Records which polls ran and when; each poll posts its "answer" by resuming a waiter.
    final class Runs: Sendable {
        private let runs = Mutex<[(id: Int, at: NIODeadline)]>([])
        func record(_ id: Int) { runs.withLock { $0.append((id, .now())) } }
        var ids: [Int] { runs.withLock { $0.map(\.id) } }
        func time(of id: Int) -> NIODeadline? { runs.withLock { $0.first { $0.id == id }?.at } }
        func waitFor(count: Int, within: Duration = .seconds(20)) async -> Bool {
            let deadline = ContinuousClock.now + within
            // Checked once more after the deadline: a busy machine may wake this task late.
            while ids.count < count, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
            return ids.count >= count
        }
    }

    static func starter() -> (PollStarter, Runs) {
        let runs = Runs()
        let starter = PollStarter(executor: EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())) { request in runs.record(request.id) }
        return (starter, runs)
    }

    static func request(_ id: Int, in delay: TimeAmount, every: TimeAmount = .milliseconds(200)) -> PollStarter.Request {
        .init(id: id, job: nil, workers: false, startsAt: .now() + delay, every: every)
    }

    @Test func aPollStartsAtItsTimeAndNotBefore() async {
        let (starter, runs) = Self.starter()
        let asked = NIODeadline.now()
        starter.submit(Self.request(1, in: .milliseconds(100)))
        #expect(await runs.waitFor(count: 1))
        let waited = runs.time(of: 1).map { $0 - asked } ?? .zero
        #expect(waited >= .milliseconds(100) - PollStarter.earlyStartAllowed, "started after \(waited.nanoseconds / 1_000_000) ms")
    }

    @Test func aNewerRequestReplacesTheWaitingOneAndCancelDropsIt() async throws {
        let (starter, runs) = Self.starter()
        starter.submit(Self.request(1, in: .seconds(1)))
        starter.submit(Self.request(2, in: .milliseconds(20)))
        #expect(await runs.waitFor(count: 1))
        // A second away, so a busy machine cannot run it before it is cancelled.
        starter.submit(Self.request(3, in: .seconds(1)))
        starter.cancel()
        try await Task.sleep(for: .milliseconds(1_500))
        #expect(runs.ids == [2], "the replaced and the cancelled request never run")
    }

    /// The idle path: the loop arms its own timer after each answer, so the next request, made
    /// when the console reads that answer, wakes nothing. The refresh is long enough that no
    /// busy machine delays this test past the timer. The test waits for the timer the loop arms
    /// once the poll ends: a request timed before that (the loop descheduled between the answer
    /// and its bookkeeping) is due earlier than the timer, and waking the loop is then right.
    @Test func theNextOnTimeRequestDoesNotWakeTheLoop() async throws {
        let (starter, runs) = Self.starter()
        let every: TimeAmount = .seconds(30)
        starter.submit(Self.request(1, in: .zero, every: every))
        #expect(await runs.waitFor(count: 1))
        let deadline = ContinuousClock.now + .seconds(20)
        while starter.armedTimer == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(starter.armedTimer != nil, "the loop arms its timer once the poll ends")
        let wakes = starter.loopWakes
        starter.submit(Self.request(2, in: every, every: every))
        #expect(starter.loopWakes == wakes, "an on-time request woke the loop")
        starter.cancel()
    }

    @Test func theTimerArmedAfterAnAnswerStartsTheNextPoll() async throws {
        let (starter, runs) = Self.starter()
        let every: TimeAmount = .milliseconds(200)
        starter.submit(Self.request(1, in: .zero, every: every))
        #expect(await runs.waitFor(count: 1))
        for id in 2...3 {
            starter.submit(Self.request(id, in: every, every: every))
            #expect(await runs.waitFor(count: id))
        }
        #expect(runs.ids == [1, 2, 3])
    }

    @Test func aRequestForSoonerThanTheArmedTimerStartsAtOnce() async throws {
        let (starter, runs) = Self.starter()
        starter.submit(Self.request(1, in: .zero, every: .seconds(30)))
        #expect(await runs.waitFor(count: 1))
        try await Task.sleep(for: .milliseconds(5))
        starter.submit(Self.request(2, in: .zero))
        #expect(await runs.waitFor(count: 2, within: .seconds(10)), "ctrl-r must not wait for the 30 s timer")
    }
}

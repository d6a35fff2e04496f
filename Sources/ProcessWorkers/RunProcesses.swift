import CRunKeeper
import Glibc

/// Every process of one run, for signalling: the descendants of the run's keeper (which, as a
/// subreaper, stays the ancestor of all of them), and in cgroup containment the members of the
/// run's cgroup as well. The keeper itself is never signalled: it exits by itself once the
/// others are gone.
struct RunProcesses {
    /// The run's keeper.
    let keeperPID: pid_t
    /// The run's cgroup, in cgroup containment.
    let cgroup: RunCgroup?

    /// How many pidfds `signalAll` holds open at once.
    private static let batchSize = 256

    /// The run's processes now.
    func members() -> Set<pid_t> {
        var members = Set(ProcessTable.descendants(of: keeperPID))
        if let cgroup { members.formUnion(cgroup.members()) }
        return members
    }

    /// Sends `signal` to every process of the run. Each is first pinned with a pidfd, then the
    /// membership is read again and only processes still members get the signal, so that a pid
    /// which ended and was reused by an unrelated process between the two readings is never
    /// signalled. Without pidfds (Linux before 5.3), plain `kill` on the second reading.
    func signalAll(_ signal: Int32) {
        let candidates = Array(members())
        for start in stride(from: 0, to: candidates.count, by: Self.batchSize) {
            let batch = candidates[start..<min(start + Self.batchSize, candidates.count)]
            let pinned = batch.map { pid in
                let descriptor = scoot_pidfd_open(pid)
                return (pid: pid, descriptor: descriptor, error: descriptor < 0 ? errno : 0)
            }
            let confirmed = members()
            for (pid, descriptor, error) in pinned {
                if descriptor >= 0 {
                    if confirmed.contains(pid) { _ = scoot_pidfd_send_signal(descriptor, signal) }
                    close(descriptor)
                } else if error == ENOSYS, confirmed.contains(pid) {
                    kill(pid, signal)
                }
            }
        }
    }

    /// SIGKILL to every process of the run: `cgroup.kill` first when there is a cgroup, then
    /// each process of the keeper's tree.
    func killAll() {
        cgroup?.killAll()
        signalAll(SIGKILL)
    }
}

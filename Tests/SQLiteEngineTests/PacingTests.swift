import Testing

@testable import SQLiteEngine

@Suite struct PacingTests {
    @Test func checkpointsAfterEveryBatchUntilItKnowsHowMuchOneWrites() {
        var cadence = CheckpointCadence()
        let due = cadence.batchDone()
        #expect(due)
    }

    @Test func spacesCheckpointsToGatherAboutTheTargetFrames() {
        var cadence = CheckpointCadence()
        _ = cadence.batchDone()
        cadence.checkpointed(frames: 40)  // one batch wrote 40 frames: checkpoint every 10
        #expect(cadence.every == 10)
        let due = (1...10).map { _ in cadence.batchDone() }
        #expect(due == Array(repeating: false, count: 9) + [true])
    }

    @Test func checkpointsEveryBatchWhenBatchesWriteMoreThanTheTarget() {
        var cadence = CheckpointCadence()
        _ = cadence.batchDone()
        cadence.checkpointed(frames: 40)
        cadence.checkpointed(frames: 4_000)  // e.g. an application burst, or a random-order index
        #expect(cadence.every == 1)
        let due = cadence.batchDone()
        #expect(due)
    }

    @Test func neverWaitsMoreThan64Batches() {
        var cadence = CheckpointCadence()
        cadence.checkpointed(frames: 1)
        cadence.checkpointed(frames: 1)
        #expect(cadence.every == 64)
    }

    @Test func pauseIsAtLeastTwoMillisecondsAndScalesWithTheBatch() {
        let pacer = BatchPacer(tuning: OnlineTuning(batchMilliseconds: 1, pauseFactor: 1))
        #expect(pacer.pauseNanoseconds(after: 0.5) == 2_000_000)
        #expect(pacer.pauseNanoseconds(after: 3) == 3_000_000)
    }
}

@Suite struct ActivityPacingTests {
    let tuning = OnlineTuning(batchMilliseconds: 1, pauseFactor: 1, busyPauseFactor: 3)

    @Test func pausesLongerOnceAnotherConnectionHasCommitted() {
        var pacer = BatchPacer(tuning: tuning)
        pacer.record(rows: 100, milliseconds: 1, dataVersion: 7)
        #expect(!pacer.othersWriting)  // the first batch has nothing to compare with
        #expect(pacer.pauseNanoseconds(after: 1) == 2_000_000)
        pacer.record(rows: 100, milliseconds: 1, dataVersion: 8)  // someone committed meanwhile
        #expect(pacer.othersWriting)
        #expect(pacer.pauseNanoseconds(after: 1) == 3_000_000)
    }

    @Test func shortensThePauseAgainAfterQuietBatches() {
        var pacer = BatchPacer(tuning: tuning)
        pacer.record(rows: 100, milliseconds: 1, dataVersion: 1)
        pacer.record(rows: 100, milliseconds: 1, dataVersion: 2)
        for _ in 1..<BatchPacer.activityWindow { pacer.record(rows: 100, milliseconds: 1, dataVersion: 2) }
        #expect(pacer.othersWriting)
        pacer.record(rows: 100, milliseconds: 1, dataVersion: 2)
        #expect(!pacer.othersWriting)
        #expect(pacer.pauseNanoseconds(after: 1) == 2_000_000)
    }

    @Test func anExplicitPauseFactorIsNeverRaisedByTheBusyOne() {
        let tuning = OnlineTuning(pauseFactor: 5, busyPauseFactor: 3)
        #expect(tuning.busyPauseFactor == 5)
    }
}

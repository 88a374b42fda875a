package org.jobmon.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.engine.store.CycleWrites;
import org.jobmon.engine.store.RunStore;
import org.jobmon.engine.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;

/** The lease side of the loop against a fake store: outages keep writes, lost acks are not written twice. */
class CycleCommitterTest {
    /** A store that keeps what it was given, like the database's rows, and fails when told to. */
    static class FakeStore implements RunStore {
        final List<Long> written = new ArrayList<>();
        List<Long> killOrders = List.of();
        long committedCycle;
        char status = 'B';
        int failNext;
        boolean loseNextAck;

        @Override
        public Lease commit(List<CycleWrites> pending, boolean start) {
            if (failNext > 0) {
                failNext--;
                throw new StoreUnavailableException("connection refused", null);
            }
            if (start && (status == 'G' || status == 'B')) {
                status = 'R';
            } else if ("RCH".indexOf(status) < 0) {
                return new Lease(false, status, 0);
            }
            for (CycleWrites w : pending) {
                if (w.number() > committedCycle) {
                    written.add(w.number());
                    committedCycle = w.number();
                }
            }
            if (loseNextAck) {
                loseNextAck = false;
                throw new StoreUnavailableException("connection reset after commit", null);
            }
            return new Lease(true, status, 7);
        }

        @Override
        public boolean finish(List<CycleWrites> pending, WorkflowRunStatus runStatus, Character workflowStatus, long endCycle) {
            if (status == runStatus.code() && committedCycle >= endCycle) {
                return true;
            }
            commit(pending, false);
            status = runStatus.code();
            committedCycle = endCycle;
            return true;
        }

        @Override
        public Look look() {
            return new Look(status, 7);
        }

        @Override
        public List<Long> killOrders() {
            return killOrders;
        }

        @Override
        public long reserveIds(String sequence, int count) {
            return 1;
        }
    }

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private static void decide(CycleCommitter c, long task) {
        c.writes().task(task, 'Q', 'I', 1);
    }

    @Test
    void writesOfCyclesThatCouldNotBeCommittedAreWrittenOnceWhenTheDatabaseIsBack() {
        FakeStore store = new FakeStore();
        CycleCommitter c = new CycleCommitter(store, 1, Duration.ofSeconds(60));
        decide(c, 1);
        assertThat(c.commit(0)).isInstanceOf(CycleCommitter.Outcome.Committed.class);
        store.failNext = 3;
        decide(c, 2);
        assertThat(c.commit(SECOND)).isInstanceOf(CycleCommitter.Outcome.Deferred.class);
        decide(c, 3);
        assertThat(c.commit(SECOND + 1)).as("before the backoff is over").isInstanceOf(CycleCommitter.Outcome.Deferred.class);
        for (long t = 2; store.failNext > 0; t++) {
            assertThat(c.commit(t * SECOND)).isInstanceOf(CycleCommitter.Outcome.Deferred.class);
        }
        assertThat(c.commit(30 * SECOND)).isInstanceOf(CycleCommitter.Outcome.Committed.class);
        assertThat(store.written).containsExactly(1L, 2L, 3L);
        assertThat(c.inOutage()).isFalse();
    }

    @Test
    void aCommitWhoseAcknowledgementWasLostIsNotWrittenAgain() {
        FakeStore store = new FakeStore();
        CycleCommitter c = new CycleCommitter(store, 1, Duration.ofSeconds(60));
        decide(c, 1);
        store.loseNextAck = true;
        assertThat(c.commit(0)).isInstanceOf(CycleCommitter.Outcome.Deferred.class);
        decide(c, 2);
        assertThat(c.commit(10 * SECOND)).isInstanceOf(CycleCommitter.Outcome.Committed.class);
        assertThat(store.written).containsExactly(1L, 2L);
    }

    @Test
    void anOutageLongerThanTheLimitIsReported() {
        FakeStore store = new FakeStore();
        CycleCommitter c = new CycleCommitter(store, 1, Duration.ofSeconds(5));
        c.commit(0);
        store.failNext = 1000;
        decide(c, 1);
        assertThat(c.commit(SECOND)).isInstanceOf(CycleCommitter.Outcome.Deferred.class);
        assertThat(c.commit(7 * SECOND)).isInstanceOf(CycleCommitter.Outcome.OutageTooLong.class);
    }

    @Test
    void aRunSettledByAnotherProcessLosesItsLeaseAndWritesNothing() {
        FakeStore store = new FakeStore();
        CycleCommitter c = new CycleCommitter(store, 1, Duration.ofSeconds(60));
        c.commit(0);
        store.status = 'E';
        decide(c, 1);
        CycleCommitter.Outcome o = c.commit(SECOND);
        assertThat(o).isEqualTo(new CycleCommitter.Outcome.Lost('E'));
        assertThat(store.written).isEmpty();
    }

    @Test
    void anEndRecordedWhoseAcknowledgementWasLostCountsAsRecorded() throws Exception {
        FakeStore store = new FakeStore();
        CycleCommitter c = new CycleCommitter(store, 1, Duration.ofSeconds(60));
        c.commit(0);
        decide(c, 1);
        long[] now = {SECOND};
        FakeStore flaky = store;
        flaky.loseNextAck = true;
        boolean recorded = c.finish(WorkflowRunStatus.DONE, 'D', () -> now[0], nanos -> now[0] += nanos);
        assertThat(recorded).isTrue();
        assertThat(store.status).isEqualTo('D');
        assertThat(store.written).containsExactly(1L);
    }
}

package dev.vmigrate.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.admission.VsphereCostModel;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanRequestStateTest {

  static PlanRequestState state(int total) {
    PlanRequestState s = new PlanRequestState();
    s.begin(total, new VsphereCostModel("vc1", AdmissionLimits.vsphereDefaults(0), 500));
    return s;
  }

  static List<VmOrder> orders(int n) {
    List<VmOrder> orders = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      orders.add(RequestHarness.vm(i, "host-" + (i % 2), 20, false));
    }
    return orders;
  }

  /** Queues the orders as one ledger page, then admits {@code n} of them one at a time. */
  static List<VmOrder> loadAndAdmit(PlanRequestState s, List<VmOrder> orders, int n) {
    s.pageLoaded(orders.size());
    orders.forEach(s::enqueue);
    List<VmOrder> admitted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<VmOrder> one = s.admit(0, 1);
      one.forEach(o -> s.childStarting());
      one.forEach(o -> s.childStartSettled(o.vmId(), true));
      admitted.addAll(one);
    }
    return admitted;
  }

  /** The loop's handling of a finished VM: released from admission, its final state counted. */
  static void settle(PlanRequestState s, VmOrder order, VmTaskState state) {
    s.release(order.vmId());
    s.count(state);
  }

  @Test
  void pagesUntilTheLedgerIsReadAndDropsDuplicatesFromTheTotal() {
    PlanRequestState s = state(5);
    assertTrue(s.wantsPage(2, 4));
    s.pageLoaded(2);
    assertTrue(s.enqueue(orders(2).get(0)));
    assertFalse(s.enqueue(orders(2).get(0)));
    assertEquals(4, s.total());
    assertEquals(2, s.nextOffset());
    assertTrue(s.wantsPage(2, 4));
    assertFalse(s.wantsPage(4, 4), "no room for another page");

    s.ledgerEnded();
    assertEquals(2, s.total());
    assertFalse(s.wantsPage(2, 4));
  }

  @Test
  void admittedOrdersRunUntilReleasedAndTheirOutcomesAreCounted() {
    PlanRequestState s = state(3);
    List<VmOrder> admitted = loadAndAdmit(s, orders(3), 2);
    assertEquals(admitted, s.runningOrders());
    assertEquals(2, s.admittedThisRun());
    assertTrue(s.progressThisRun());
    assertTrue(s.hasStartedEvent());
    assertEquals(admitted.get(0).vmId(), s.takeStartedEvent());

    String vm = admitted.get(0).vmId();
    s.migrationFinished(vm, new MigrationOutcome(VmTaskState.ROLLED_BACK, "rolled back"));
    assertTrue(s.hasFinishedEvent());
    PlanRequestState.Finished f = s.takeFinishedEvent();
    assertEquals(vm, f.vmId());
    assertEquals(admitted.get(0), s.release(vm));
    assertNull(s.release(vm), "already accounted for");
    s.count(f.outcome().state());
    s.release(admitted.get(1).vmId());
    s.count(VmTaskState.FAILED);

    RequestProgress p = s.progress("r1");
    assertEquals(new RequestProgress("r1", RequestState.ACTIVE, 3, 1, 0, 0, 1, 1, 0, 66), p);
    assertFalse(s.isDone());
  }

  @Test
  void checkpointCarriesRunningAndQueuedOrdersIntoTheNextRun() {
    PlanRequestState s = state(4);
    List<VmOrder> admitted = loadAndAdmit(s, orders(4), 1);
    s.release(admitted.get(0).vmId());
    s.count(VmTaskState.COMPLETED);
    admitted = s.admit(0, 1);
    s.pause();

    RequestCheckpoint cp = s.checkpoint("r1");
    assertEquals(4, cp.nextOffset());
    assertEquals(admitted, cp.running());
    assertEquals(2, cp.queued().size());
    assertTrue(cp.paused());
    assertEquals(RequestState.PAUSED, cp.progress().state());

    PlanRequestState next = state(4);
    assertEquals(admitted, next.restore(cp, 0));
    assertEquals(s.progress("r1"), next.progress("r1"));
    assertEquals(s.queuedOrders(), next.queuedOrders());
    assertEquals(s.runningOrders(), next.runningOrders());
    assertEquals(0, next.admittedThisRun(), "a new run's budget starts afresh");
  }

  @Test
  void cancellingWithdrawsTheQueueAndReturnsWhatRuns() {
    PlanRequestState s = state(4);
    List<VmOrder> admitted = loadAndAdmit(s, orders(4), 2);
    s.cancel();
    assertTrue(s.cancelPending());
    assertTrue(s.hasWork());
    assertEquals(admitted, s.cancelQueued());
    assertFalse(s.cancelPending());
    assertTrue(s.queuedOrders().isEmpty());
    assertEquals(RequestState.CANCELLING, s.progress("r1").state());

    admitted.forEach(o -> s.release(o.vmId()));
    assertTrue(s.isDone());
  }

  @Test
  void resumeWakesTheLoopOnlyWhileOrdersWait() {
    PlanRequestState s = state(2);
    s.pageLoaded(2);
    orders(2).forEach(s::enqueue);
    s.pause();
    assertFalse(s.admitting());
    s.resume();
    assertTrue(s.admitting());
    assertTrue(s.hasWork());
    s.wakeHandled();
    assertFalse(s.hasWork());
  }

  @Test
  void drainsOnceEveryStartSettled() {
    PlanRequestState s = state(3);
    s.pageLoaded(3);
    orders(3).forEach(s::enqueue);
    s.admit(0, 1);
    s.childStarting();
    s.startDraining();
    assertFalse(s.admitting());
    assertFalse(s.drained(), "a start is pending");
    s.childStartSettled("vm-0000", false);
    assertTrue(s.drained());
    assertFalse(s.queuedWithNothingRunning(), "one runs");
  }
}

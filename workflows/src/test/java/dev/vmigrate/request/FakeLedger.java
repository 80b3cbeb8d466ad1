package dev.vmigrate.request;

import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory ledger: the request's VMs, and every state written per VM, in order. */
final class FakeLedger implements LedgerActivities {

  final Map<String, List<VmOrder>> vms = new ConcurrentHashMap<>();
  final Map<String, List<VmTaskState>> vmStates = new ConcurrentHashMap<>();
  final Map<String, String> vmMessages = new ConcurrentHashMap<>();
  final List<String> requestStates = new CopyOnWriteArrayList<>();
  final List<Integer> pageSizes = new CopyOnWriteArrayList<>();

  @Override
  public List<VmOrder> loadVmOrders(String requestId, int offset, int limit) {
    List<VmOrder> all = vms.getOrDefault(requestId, List.of());
    List<VmOrder> page =
        new ArrayList<>(
            all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size())));
    pageSizes.add(page.size());
    return page;
  }

  @Override
  public synchronized void recordVmState(
      String requestId, String vmId, VmTaskState state, String migrationId, String message) {
    vmStates.computeIfAbsent(vmId, k -> new CopyOnWriteArrayList<>()).add(state);
    vmMessages.put(vmId, message);
  }

  @Override
  public void recordRequestState(
      String requestId, RequestState state, String status, String message) {
    requestStates.add(state + "/" + status + "/" + message);
  }

  long count(VmTaskState state) {
    return vmStates.values().stream().filter(l -> l.contains(state)).count();
  }
}

/**
 * An in-process vCenter ({@link dev.vmigrate.vsphere.simulated.SimulatedVsphere}) for tests, the
 * demo and benchmarks, with seeded inventories ({@link
 * dev.vmigrate.vsphere.simulated.SimulatedInventories}) and a clock that tests move by hand ({@link
 * dev.vmigrate.vsphere.simulated.ManualClock}).
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * SimulatedVsphere vc = SimulatedInventories.demo(42, 2, 4, 6, 500)
 *     .clock(clock).bandwidth(500_000_000).build();
 * String vm = vc.vmId("srv-0001");
 * vc.failNext("relocate", 2).on(vm);                        // two retryable HostCommunication faults
 * vc.failAlways("setCustomValue").on(vm).key(MigrationAttributes.LOCK)
 *     .with(new VsphereException.NoPermission("Global.SetCustomField"));
 * vc.failTask("relocate", vm, 40, new VsphereException.Transient("HostCommunication", "lost"));
 * vc.disconnectHost(vc.hostId("esx-01-01"));
 * clock.advance(Duration.ofMinutes(5));                     // tasks progress and complete
 * assertEquals(1, vc.calls("relocate", vm));
 * vc.clearFaults();
 * }</pre>
 *
 * <p>Inside, {@code SimulatedVsphere} is the public facade: it counts calls, fires fault rules,
 * takes the one lock and hands the work to package-private collaborators that have no locks of
 * their own and are called only while that lock is held: {@code SimEstate} (entities, indexes and
 * look-ups), {@code SimTasks} (simulated time, tasks, task faults), {@code PlacementRules} (the
 * checks vSphere makes), {@code SimOperations} (what each gateway operation does), {@code
 * SimRecords} (entities to gateway records), {@code SimulatedVsphereBuilder} (the inventory
 * building behind {@code SimulatedVsphere.Builder}) and {@code InventoryCopy} (the estate of {@code
 * SimulatedVsphere.copyOf}, a copy of an inventory read from a vCenter).
 */
package dev.vmigrate.vsphere.simulated;

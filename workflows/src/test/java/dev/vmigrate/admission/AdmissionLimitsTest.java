package dev.vmigrate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdmissionLimitsTest {

  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

  private static AdmissionLimits fromJson(String json) {
    io.temporal.api.common.v1.Payload payload =
        io.temporal.api.common.v1.Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(com.google.protobuf.ByteString.copyFrom(json, StandardCharsets.UTF_8))
            .build();
    return CONVERTER.fromPayload(payload, AdmissionLimits.class, AdmissionLimits.class);
  }

  @Test
  void limitsOfARequestStartedBeforeThePolicyExistedReadAsVmigratesPolicy() {
    AdmissionLimits old =
        fromJson(
            "{\"hostLimit\":8,\"network10gLimit\":8,\"network1gLimit\":4,\"datastoreLimit\":128,"
                + "\"vcenterLimit\":640,\"planLimit\":2,\"bandwidthBytesPerSecond\":125000000}");
    assertEquals(AdmissionLimits.vsphereDefaults(2), old);
    assertEquals(AdmissionLimits.VMIGRATE, old.policy());
    assertFalse(old.fifo());
  }

  @Test
  void theFifoPolicyAndItsThrottleSurviveTheConverter() {
    AdmissionLimits fifo = AdmissionLimits.vsphereDefaults(16).withFifo(8);
    String json =
        CONVERTER.toPayload(fifo).orElseThrow().getData().toString(StandardCharsets.UTF_8);
    AdmissionLimits back = fromJson(json);
    assertEquals(fifo, back);
    assertTrue(back.fifo());
    assertEquals(8, back.fifoThrottle());
    assertEquals(16, back.planLimit());
  }

  @Test
  void theSevenComponentConstructorKeepsVmigratesPolicy() {
    AdmissionLimits l = new AdmissionLimits(8, 8, 4, 128, 640, 0, 1L);
    assertEquals(AdmissionLimits.VMIGRATE, l.policy());
    assertEquals(0, l.fifoThrottle());
  }

  @Test
  void anUnknownPolicyOrAFifoWithoutThrottleIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new AdmissionLimits(8, 8, 4, 128, 640, 0, 1L, "lifo", 4));
    assertThrows(
        IllegalArgumentException.class, () -> AdmissionLimits.vsphereDefaults(0).withFifo(0));
  }
}

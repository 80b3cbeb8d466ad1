package dev.vmigrate.worker;

import dev.vmigrate.model.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps real activity implementations so a test can make one action fail: before it does anything,
 * or after its effect has landed (as a call that timed out after vSphere applied it), permanently
 * or for a number of attempts. Activities are named by their Temporal type, e.g. "InitiateSource".
 */
final class ActionFaults {

  /** When the injected failure strikes relative to the real work. */
  enum When {
    BEFORE,
    AFTER
  }

  private record Rule(When when, int remaining, boolean retryable) {}

  private final Map<String, Rule> rules = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, List<Object>> results = new ConcurrentHashMap<>();

  /**
   * Fails every call until {@link #clear()}, non-retryably so the failure policy applies at once.
   */
  void failPermanently(String activity, When when) {
    rules.put(activity, new Rule(when, Integer.MAX_VALUE, false));
  }

  /** Fails the next {@code times} calls with a retryable failure; Temporal's retries absorb it. */
  void failTransiently(String activity, int times) {
    rules.put(activity, new Rule(When.BEFORE, times, true));
  }

  void clear() {
    rules.clear();
  }

  int calls(String activity) {
    AtomicInteger n = calls.get(activity);
    return n == null ? 0 : n.get();
  }

  /** What the attempts of an activity that returned answered, in the order they returned. */
  List<Object> results(String activity) {
    return List.copyOf(results.getOrDefault(activity, List.of()));
  }

  /** A proxy of an activity implementation, implementing its activity interface. */
  Object wrapAny(Object impl) {
    for (Class<?> type : impl.getClass().getInterfaces()) {
      if (type.isAnnotationPresent(io.temporal.activity.ActivityInterface.class)) {
        return wrapUnchecked(type, impl);
      }
    }
    throw new IllegalArgumentException(impl.getClass() + " implements no activity interface");
  }

  @SuppressWarnings("unchecked")
  private <T> T wrapUnchecked(Class<T> type, Object impl) {
    return wrap(type, (T) impl);
  }

  /** A proxy of {@code impl} implementing the activity interface {@code type}. */
  <T> T wrap(Class<T> type, T impl) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.invoke(impl, args);
          }
          String activity = activityType(method.getName());
          calls.computeIfAbsent(activity, k -> new AtomicInteger()).incrementAndGet();
          Rule rule = take(activity);
          if (rule != null && rule.when() == When.BEFORE) {
            throw injected(activity, rule);
          }
          Object result;
          try {
            result = method.invoke(impl, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (rule != null) {
            throw injected(activity, rule);
          }
          results.computeIfAbsent(activity, k -> new CopyOnWriteArrayList<>()).add(result);
          return result;
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private Rule take(String activity) {
    Rule[] taken = new Rule[1];
    rules.computeIfPresent(
        activity,
        (k, r) -> {
          taken[0] = r;
          if (r.remaining() == Integer.MAX_VALUE) {
            return r;
          }
          return r.remaining() > 1 ? new Rule(r.when(), r.remaining() - 1, r.retryable()) : null;
        });
    return taken[0];
  }

  private static ApplicationFailure injected(String activity, Rule rule) {
    String msg =
        "injected fault in " + activity + (rule.when() == When.AFTER ? " after it acted" : "");
    return rule.retryable()
        ? ApplicationFailure.newFailure(msg, FailureTypes.TRANSIENT)
        : ApplicationFailure.newNonRetryableFailure(msg, "InjectedFault");
  }

  private static String activityType(String methodName) {
    return methodName.substring(0, 1).toUpperCase(Locale.ROOT) + methodName.substring(1);
  }
}

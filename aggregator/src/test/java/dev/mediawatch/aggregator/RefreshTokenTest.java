package dev.mediawatch.aggregator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With an API token configured, a refresh needs it; reading the status does not. */
@QuarkusTest
@TestProfile(RefreshTokenTest.WithToken.class)
@QuarkusTestResource(value = ExternalBroker.class, restrictToAnnotatedClass = true)
class RefreshTokenTest {

    static final String TOKEN = "t0ken-that-must-not-leak";

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mediawatch.api.token", TOKEN, "mediawatch.refresh.timeout", "1s");
        }
    }

    @Test
    void refresh_withoutOrWithAWrongToken_isRefused() {
        given().post("/api/refresh").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body(not(containsString(TOKEN)));
        given().header("Authorization", "Bearer wrong").post("/api/refresh").then().statusCode(401);
        given().header("Authorization", "Basic " + TOKEN).post("/api/refresh").then().statusCode(401);
    }

    @Test
    void theNotificationTest_needsTheTokenToo_andWithItAnswersEvenWithoutTargets() {
        given().post("/api/notify/test").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer wrong").post("/api/notify/test").then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN).post("/api/notify/test").then().statusCode(200)
                .body("schema", equalTo("mediawatch.notify-test"), "pass", equalTo(true), "targets.size()", equalTo(0));
    }

    @Test
    void refresh_withTheToken_runs_andTheStatusNeedsNone() {
        given().header("Authorization", "Bearer " + TOKEN).post("/api/refresh").then().statusCode(200)
                .body("schema", equalTo("mediawatch.refresh"));
        given().get("/api/status").then().statusCode(200);
        given().get("/q/metrics").then().body(not(containsString(TOKEN)));
    }
}

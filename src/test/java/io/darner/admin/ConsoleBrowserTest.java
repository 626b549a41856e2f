package io.darner.admin;

import io.darner.server.QueueListener;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Drives the web console in a real headless Chromium (Debian's chromium and chromium-driver
 * packages); skipped where they are not installed, except under CI ({@code CI=true}, as {@code .ci/run}
 * sets it), where a missing browser fails the test.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Inject
    QueueListener listener;

    @TestHTTPResource("/")
    URL console;

    private WebDriver driver;
    private Path profile;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(installed, missing + "; not skipped under CI");
        } else {
            assumeTrue(installed, missing);
        }
        profile = Files.createTempDirectory("darner-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class); // the table is redrawn every few seconds
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
        TempDataDir.deleteTree(profile);
    }

    @Test
    void showsAQueueFilledOverMemcacheAndFlushesItWithTheToken() throws Exception {
        String name = Admin.queueName("console");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            for (int i = 0; i < 3; i++) {
                assertEquals("STORED", c.set(name, "item " + i));
            }
        }
        driver.get(console.toString());
        wait.until(d -> itemsShown(d, name).equals("3"));

        // its detail: the first items, peeked
        wait.until(d -> {
            row(d, name).findElement(By.cssSelector("button.name")).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBe(By.id("detail-name"), name));
        wait.until(d -> d.findElements(By.cssSelector("#items tbody tr")).size() == 3);
        assertEquals("item 0", driver.findElement(By.cssSelector("#items tbody tr td.payload")).getText());

        // without the token the server refuses, and the page says so
        clickFlushAndConfirm(name);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "missing or wrong admin token"));
        given().get("/admin/queues/" + name).then().body("items", equalTo(3));

        driver.findElement(By.id("token")).sendKeys(Admin.TOKEN);
        driver.findElement(By.id("save-token")).click();
        clickFlushAndConfirm(name);
        wait.until(d -> itemsShown(d, name).equals("0"));
        given().get("/admin/queues/" + name).then().body("items", equalTo(0));
    }

    private void clickFlushAndConfirm(String name) {
        wait.until(d -> {
            row(d, name).findElement(By.cssSelector("button.flush")).click();
            return true;
        });
        wait.until(ExpectedConditions.alertIsPresent()).accept();
    }

    private static org.openqa.selenium.WebElement row(WebDriver d, String queue) {
        return d.findElement(By.cssSelector("#queues tbody tr[data-queue='" + queue + "']"));
    }

    /** The items cell of the queue's row, or "" while the row is not there. */
    private static String itemsShown(WebDriver d, String queue) {
        return d.findElements(By.cssSelector("#queues tbody tr[data-queue='" + queue + "'] td.items")).stream()
                .map(e -> e.getText()).findFirst().orElse("");
    }
}

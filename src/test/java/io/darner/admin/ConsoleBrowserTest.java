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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Drives the web console in a real headless Chromium (Debian's chromium and chromium-driver
 * packages); skipped where they are not installed, except under CI ({@code CI=true}, as {@code .ci/run}
 * sets it), where a missing browser fails the test. The test profile samples rates and history every
 * 250 ms. The page with traffic is saved as target/console.png, or where {@code -Dconsole.screenshot}
 * says (docs/console.png, shown in the README, is made so).
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where to save the page with traffic for the README (-Dconsole.screenshot=docs/console.png), or null. */
    private static final String SCREENSHOT = System.getProperty("console.screenshot");

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
        driver.manage().window().setSize(new Dimension(1500, 1150));
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

    @Test
    void showsRatesAndChartsWhileTrafficFlows() throws Exception {
        String busy = "0" + Admin.queueName("orders"); // among the first queues by name: it keeps history
        String calm = "0" + Admin.queueName("emails");
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
        MemcacheClient client = new MemcacheClient(listener.port());
        AtomicInteger rounds = new AtomicInteger();
        traffic.scheduleAtFixedRate(() -> produceAndConsume(client, busy, calm, rounds.getAndIncrement()), 0, 20,
                TimeUnit.MILLISECONDS);
        try {
            driver.get(console.toString());
            wait.until(d -> !cellText(d, busy, "in").isEmpty() && !cellText(d, busy, "in").equals("0/s")
                    && !cellText(d, busy, "out").equals("0/s") && !cellText(d, busy, "bytes-in").equals("0 B/s"));
            wait.until(d -> points(d, "#chart-server-rates") >= 8 && points(d, "#chart-server-depth") >= 8);
            assertTrue(!driver.findElement(By.id("server-in")).getText().equals("0/s"));
            wait.until(d -> points(d, "#queues tbody tr[data-queue='" + busy + "'] td.trend") >= 2);

            wait.until(d -> {
                row(d, busy).findElement(By.cssSelector("button.name")).click();
                return true;
            });
            wait.until(ExpectedConditions.textToBe(By.id("detail-name"), busy));
            wait.until(d -> points(d, "#chart-queue-rates") >= 8 && points(d, "#chart-queue-depth") >= 8
                    && points(d, "#chart-queue-age") >= 8);
            wait.until(d -> d.findElements(By.cssSelector("#items tbody tr")).size() > 0);
            if (SCREENSHOT != null) { // for the README: a longer run, so that the charts have a shape
                new WebDriverWait(driver, Duration.ofSeconds(90))
                        .until(d -> points(d, "#chart-queue-depth") >= 220 && points(d, "#chart-server-rates") >= 220);
            }
            saveScreenshot();
        } finally {
            traffic.shutdown();
            traffic.awaitTermination(10, TimeUnit.SECONDS);
            client.close();
        }
    }

    /**
     * One round of sets and gets on two queues (a round every 20 ms): the first in phases of a few
     * seconds that fill it slowly, fill it fast, then drain it, so that its charts have a shape.
     */
    private static void produceAndConsume(MemcacheClient c, String busy, String calm, int round) {
        int[] setsPerPhase = {6, 10, 2};
        try {
            int sets = setsPerPhase[round / 150 % setsPerPhase.length];
            for (int i = 0; i < sets; i++) {
                c.set(busy, "{\"order\": " + (round * 10 + i) + ", \"sku\": \"A-" + (round % 97) + "\"}");
            }
            for (int i = 0; i < 5; i++) {
                c.get(busy);
            }
            if (round % 3 == 0) {
                c.set(calm, "to: someone" + round + "@example.com");
                c.get(calm);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void saveScreenshot() throws Exception {
        Path target = Path.of(SCREENSHOT == null ? "target/console.png" : SCREENSHOT);
        Path shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * admin_poison's children dead-letter into admin_dead after one failed delivery
     * (application.properties): that queue gets a Redrive button while it holds items, and the
     * button sends them back.
     */
    @Test
    void redrivesTheDeadLettersOfADeadLetterQueue() throws Exception {
        String dead = "admin_dead";
        String jobs = "admin_poison+" + Admin.queueName("console_jobs");
        Admin.authorized().post("/admin/queues/" + dead + "/flush");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            assertEquals("STORED", c.set(jobs, "poison"));
            assertEquals("poison", c.get(jobs + "/open"));
            c.get(jobs + "/abort");
            c.get(jobs); // dead-lettered as it comes to the head again
        }
        given().get("/admin/queues/" + dead).then().body("items", equalTo(1));
        driver.get(console.toString());
        driver.findElement(By.id("filter")).sendKeys("admin_");
        wait.until(d -> itemsShown(d, dead).equals("1") && !d.findElements(By.cssSelector(
                "#queues tbody tr[data-queue='" + jobs + "']")).isEmpty());
        assertTrue(row(driver, jobs).findElements(By.cssSelector("button.redrive")).isEmpty(),
                "not a dead-letter queue: no Redrive");
        driver.findElement(By.id("token")).sendKeys(Admin.TOKEN);
        driver.findElement(By.id("save-token")).click();

        wait.until(d -> {
            row(d, dead).findElement(By.cssSelector("button.redrive")).click();
            return true;
        });
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Moved 1 item of 'admin_dead' back."));
        wait.until(d -> itemsShown(d, dead).equals("0") && itemsShown(d, jobs).equals("1"));
        wait.until(d -> d.findElements(By.cssSelector("#queues tbody tr[data-queue='" + dead + "'] button.redrive"))
                .isEmpty());
        given().get("/admin/queues/" + jobs).then().body("items", equalTo(1));
    }

    @Test
    void sortsByAColumnAndFiltersByName() throws Exception {
        String prefix = Admin.queueName("Sorted");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            for (int n : new int[] {2, 3, 1}) {
                for (int i = 0; i < n; i++) {
                    c.set(prefix + "_" + n, "x");
                }
            }
        }
        driver.get(console.toString());
        wait.until(d -> !d.findElements(By.cssSelector("#queues tbody tr")).isEmpty());
        driver.findElement(By.id("filter")).sendKeys(prefix.toLowerCase());
        wait.until(d -> shownQueues(d).equals(List.of(prefix + "_1", prefix + "_2", prefix + "_3")));
        assertTrue(driver.findElement(By.id("count")).getText().contains("of 3"));

        driver.findElement(By.cssSelector("#queues th button[data-sort='items']")).click(); // largest first
        wait.until(d -> shownQueues(d).equals(List.of(prefix + "_3", prefix + "_2", prefix + "_1")));
        driver.findElement(By.cssSelector("#queues th button[data-sort='items']")).click();
        wait.until(d -> shownQueues(d).equals(List.of(prefix + "_1", prefix + "_2", prefix + "_3")));
        driver.findElement(By.cssSelector("#queues th button[data-sort='name']")).click();
        driver.findElement(By.cssSelector("#queues th button[data-sort='name']")).click(); // by name, descending
        wait.until(d -> shownQueues(d).equals(List.of(prefix + "_3", prefix + "_2", prefix + "_1")));

        driver.findElement(By.id("filter")).sendKeys("_2");
        wait.until(d -> shownQueues(d).equals(List.of(prefix + "_2")));
    }

    @Test
    void setsTheServerStatusAfterConfirming() {
        driver.get(console.toString());
        wait.until(ExpectedConditions.textToBe(By.id("status"), "up"));
        driver.findElement(By.id("token")).sendKeys(Admin.TOKEN);
        driver.findElement(By.id("save-token")).click();
        try {
            new Select(driver.findElement(By.id("status-choice"))).selectByValue("readonly");
            driver.findElement(By.id("set-status")).click();
            wait.until(ExpectedConditions.alertIsPresent()).dismiss(); // changed their mind: nothing happens
            given().get("/admin/status").then().body("status", equalTo("up"));

            driver.findElement(By.id("set-status")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBe(By.id("status"), "readonly"));
            given().get("/admin/status").then().body("status", equalTo("readonly"));

            new Select(driver.findElement(By.id("status-choice"))).selectByValue("up");
            driver.findElement(By.id("set-status")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBe(By.id("status"), "up"));
        } finally {
            Admin.authorized().contentType("application/json").body("{\"status\":\"up\"}").put("/admin/status");
        }
    }

    @Test
    void saysSoWhenTheServerCannotBeReached() {
        driver.get(console.toString());
        wait.until(ExpectedConditions.textToBe(By.id("status"), "up"));
        ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
        offline.setOffline(true);
        ((ChromeDriver) driver).setNetworkConditions(offline);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("offline")));
        assertTrue(driver.findElement(By.id("offline")).getText().startsWith("Cannot reach the server"));
        ((ChromeDriver) driver).deleteNetworkConditions();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("offline")));
    }

    private static List<String> shownQueues(WebDriver d) {
        return d.findElements(By.cssSelector("#queues tbody tr")).stream()
                .map(r -> r.getAttribute("data-queue")).toList();
    }

    /** How many points the chart in {@code selector} holds (the page notes it), 0 while it is not there. */
    private static int points(WebDriver d, String selector) {
        return d.findElements(By.cssSelector(selector)).stream()
                .map(e -> e.getAttribute("data-points")).filter(p -> p != null && !p.isEmpty())
                .mapToInt(Integer::parseInt).findFirst().orElse(0);
    }

    private static String cellText(WebDriver d, String queue, String column) {
        return d.findElements(By.cssSelector("#queues tbody tr[data-queue='" + queue + "'] td." + column)).stream()
                .map(WebElement::getText).findFirst().orElse("");
    }

    private void clickFlushAndConfirm(String name) {
        wait.until(d -> {
            row(d, name).findElement(By.cssSelector("button.flush")).click();
            return true;
        });
        wait.until(ExpectedConditions.alertIsPresent()).accept();
    }

    private static WebElement row(WebDriver d, String queue) {
        return d.findElement(By.cssSelector("#queues tbody tr[data-queue='" + queue + "']"));
    }

    /** The items cell of the queue's row, or "" while the row is not there. */
    private static String itemsShown(WebDriver d, String queue) {
        return d.findElements(By.cssSelector("#queues tbody tr[data-queue='" + queue + "'] td.items")).stream()
                .map(e -> e.getText()).findFirst().orElse("");
    }
}

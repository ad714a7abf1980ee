package dev.jxdp.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency percentile curve as a PNG, drawn as HdrHistogram's own plotter draws .hgrm files:
 * latency against 1/(1-percentile) on a logarithmic axis, so that the tail (99%, 99.9%, 99.99%) gets
 * as much room as the median. Drawn headless: no display is needed.
 */
public final class PercentilePlot {
    private static final int TICKS_PER_HALF = 5;

    private PercentilePlot() {}

    /** Draws {@code latency} into the PNG file {@code png}, that name exactly. */
    public static void write(Histogram latency, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (HistogramIterationValue v : latency.percentiles(TICKS_PER_HALF)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1.0) {
                break; // 1/(1-p) is infinite: the maximum is in the title
            }
            x.add(1 / (1 - p));
            y.add(v.getValueIteratedTo() / 1000.0);
        }
        if (x.isEmpty()) {
            x.add(1.0);
            y.add(latency.getMaxValue() / 1000.0);
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("percentile").yAxisTitle("latency (us)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(PercentilePlot::percentileLabel);
        chart.addSeries("latency", x, y).setMarker(SeriesMarkers.NONE);
        // to the file named: BitmapEncoder's own file methods add ".png" to a name that lacks it
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** 1/(1-p) back to a percentile: 10 is 90%, 1000 is 99.9%. */
    static String percentileLabel(double inverse) {
        double pct = 100 * (1 - 1 / inverse);
        String s = String.format(java.util.Locale.ROOT, "%.4f", pct).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }
}

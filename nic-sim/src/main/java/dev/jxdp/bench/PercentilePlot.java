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
 * as much room as the median; a tick at each decade, labelled 0%, 90%, 99%, 99.9% ... Drawn headless:
 * no display is needed.
 *
 * <p>The axis is made logarithmic here, not by XChart: its tick calculator for an axis with a label
 * function is a linear one whatever {@code setXAxisLogarithmic} says, which squeezed everything up to
 * 99.99% into the first tick and labelled it "-Infinity%". So x is log10(1/(1-p)), on a linear axis from
 * 0 to the last whole decade reached, and only whole decades are labelled.
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
            x.add(decades(p));
            y.add(v.getValueIteratedTo() / 1000.0);
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(latency.getMaxValue() / 1000.0);
        }
        int width = 900;
        double last = Math.max(1, Math.ceil(x.getLast()));
        XYChart chart = new XYChartBuilder().width(width).height(500).title(title)
                .xAxisTitle("percentile").yAxisTitle("latency (us)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(last);
        // about one tick per decade; ticks between whole decades, if any, go unlabelled
        chart.getStyler().setXAxisTickMarkSpacingHint((int) (width * 0.8 / last));
        chart.getStyler().setxAxisTickLabelsFormattingFunction(PercentilePlot::percentileLabel);
        chart.addSeries("latency", x, y).setMarker(SeriesMarkers.NONE);
        // to the file named: BitmapEncoder's own file methods add ".png" to a name that lacks it
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** Where percentile {@code p} (0 to 1, less than 1) goes on the axis: log10(1/(1-p)); 90% is 1, 99.9% is 3. */
    static double decades(double p) {
        return Math.log10(1 / (1 - p));
    }

    /** A whole number of decades back to its percentile: 0 is 0%, 1 is 90%, 3 is 99.9%; "" between them. */
    static String percentileLabel(double decades) {
        long d = Math.round(decades);
        if (Math.abs(decades - d) > 1e-6 || d < 0) {
            return "";
        }
        java.math.BigDecimal pct = java.math.BigDecimal.valueOf(100).subtract(java.math.BigDecimal.ONE.movePointLeft((int) d - 2));
        return pct.stripTrailingZeros().toPlainString() + "%";
    }
}

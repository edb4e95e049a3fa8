# SPDX-License-Identifier: MIT
# results.png: median and p99 wall time of each health check, log scale.
# report.sh sets datafile (name median_us p99_us per line), outfile and
# subtitle.
set terminal pngcairo size 1000,560 font "sans,10"
set output outfile
set title "Wall time of one health check (spawn to reaped), lower is better\n".subtitle noenhanced
set ylabel "microseconds (log scale)"
set logscale y
set yrange [50:*]
set format y "%.0f"
set grid ytics mytics
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -25 nomirror
set key top left
set offsets 0, 0, 0, 0
# Bar labels in the unit that keeps them short.
lbl(us) = us < 1000 ? sprintf("%.0f µs", us) : \
          us < 10000 ? sprintf("%.1f ms", us / 1000) : sprintf("%.0f ms", us / 1000)
plot datafile using 2:xtic(1) title "median" lc rgb "#3a7bd5", \
     '' using 3 title "p99" lc rgb "#f39c12", \
     '' using ($0 - 0.15):2:(lbl($2)) with labels offset 0,0.7 font ",7" notitle, \
     '' using ($0 + 0.15):3:(lbl($3)) with labels offset 0,0.7 font ",7" notitle

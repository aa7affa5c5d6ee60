# The learning rate of every schedule of tg::optim over 60 steps (docs/schedules.md).
# Re-make the picture from the repository's root, after building the examples:
#
#   ./build/examples/lr_schedules --csv > /tmp/schedules.csv
#   gnuplot -e "csv='/tmp/schedules.csv'" docs/images/schedules.gp
#
if (!exists("csv")) csv = "schedules.csv"
if (!exists("out")) out = "docs/images/schedules.png"

set terminal pngcairo size 1050,1150 font "DejaVu Sans,9" noenhanced
set output out
set datafile separator ","
set key off
set grid lc rgb "#dddddd"
set border lc rgb "#555555"
set xrange [0:60]
set xtics 10
set ytics format "%g"
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set style line 1 lc rgb "#1f77b4" lw 1.5 pt 7 ps 0.3

# One panel per CSV column after `step`, in the program's order.
array T[15] = [ \
  "StepLR(step_size=15, γ=0.5)", \
  "MultiStepLR(milestones={20,40,50}, γ=0.5)", \
  "ExponentialLR(γ=0.95)", \
  "InverseTimeLR(decay=0.1)", \
  "MultiplicativeLR(1.03): lr *= 1.03", \
  "LambdaLR: warmup, then 1/√t", \
  "LinearLR(start_factor=0.25, total_iters=20)", \
  "CosineAnnealingLR(T_max=60, η_min=0.005)", \
  "CosineAnnealingWarmRestarts(10, T_mult=2)", \
  "CyclicLR triangular (0.01..0.1, step_size_up=10)", \
  "CyclicLR triangular2", \
  "CyclicLR exp_range (γ=0.97)", \
  "OneCycleLR(max_lr=0.1, total_steps=61)", \
  "warmup(10 steps) then CosineAnnealingLR(T_max=50)", \
  "ReduceLROnPlateau(factor=0.5, patience=5)" ]

set multiplot layout 5,3 title "Learning rate over 60 steps, base lr 0.1" font ",12" \
  margins 0.06,0.98,0.04,0.94 spacing 0.06,0.065
do for [i=1:15] {
  set title T[i] font ",9.5"
  set ytics 0, (i == 5 ? 0.1 : 0.02)
  plot csv skip 1 using 1:(column(i + 1)) with linespoints ls 1
}
unset multiplot

// Job pages poll their job until it is done, then open the result.
(function () {
  const box = document.getElementById('job');
  if (!box) return;
  const bar = document.getElementById('job-progress');
  const status = document.getElementById('job-status');
  async function poll() {
    const response = await fetch('/api/jobs/' + encodeURIComponent(box.dataset.job));
    if (!response.ok) { status.textContent = 'job lost (the server restarted?)'; return; }
    const job = await response.json();
    bar.max = job.total || 1;
    bar.value = job.done;
    status.textContent = job.status + (job.total ? ': ' + job.done + ' of ' + job.total : '') + (job.message ? ' · ' + job.message : '');
    box.dataset.status = job.status;
    if (job.status === 'done' && job.result_url && job.result_url.startsWith('/')) { window.location.assign(job.result_url); return; }
    if (job.status === 'failed') return;
    setTimeout(poll, 500);
  }
  if (box.dataset.status === 'done' && box.dataset.result.startsWith('/')) { window.location.assign(box.dataset.result); return; }
  if (box.dataset.status !== 'failed') poll();
})();

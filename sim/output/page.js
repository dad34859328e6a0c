/* page.js - the step-through page's script (built into the page by
 * sim/output/page_assets.c; page.c writes the page around it).
 *
 * Everything a step shows comes from the steps (the JSON block "steps"),
 * which page_steps.c read from the run's trace: the script only finds the
 * pictures' parts and marks them. The ladder names its parts "evN_part"
 * (N the log event drawn: a segment's send, a state change, a note); the
 * state diagram's arcs carry "step_client_K" classes (the side's K-th
 * state change) and its self-loops are "loop_STATE_side". */
(function () {
	'use strict';
	var data = JSON.parse(document.getElementById('steps').textContent);
	var steps = data.steps;
	var sides = ['client', 'server'];
	var ladder = document.querySelector('#ladder svg');
	var diagram = document.querySelector('#diagram svg');
	var cur = -1, playing = null;
	var $ = function (id) { return document.getElementById(id); };

	/* The pictures scale with their column (their viewBox keeps the shape). */
	[ladder, diagram].forEach(function (svg) {
		if (!svg)
			return;
		svg.removeAttribute('width');
		svg.removeAttribute('height');
		svg.setAttribute('preserveAspectRatio', 'xMidYMin meet');
	});
	var diagramBox = diagram ? diagram.getAttribute('viewBox') : null;

	/* In presentation mode the ladder is drawn at PRESENT_SCALE of its
	 * size at least (its 14-unit type at 14 px or more), wider than its column when
	 * it must; otherwise it fits the column. */
	var PRESENT_SCALE = 1.0;
	function fitLadder() {
		if (!ladder)
			return;
		var box = $('ladder'), vb = ladder.viewBox.baseVal;
		if (!document.body.classList.contains('present') || !vb) {
			ladder.style.width = '';
			box.scrollLeft = 0;
			return;
		}
		var scale = Math.max(PRESENT_SCALE, box.clientWidth / vb.width);
		ladder.style.width = (vb.width * scale) + 'px';
		/* What does not fit goes at the left edge, the time axis (the
		 * sentence says the time), and as much at the right. */
		box.scrollLeft = Math.min(vb.width * scale - box.clientWidth, Math.max(0, (vb.width * scale - box.clientWidth) / 2 + 30));
	}

	/* The ladder's parts, each with the log event it draws. */
	var parts = [];
	if (ladder) {
		ladder.querySelectorAll('[id^="ev"]').forEach(function (el) {
			var m = /^ev(\d+)_([a-z]+)(\d?)$/.exec(el.id);
			if (m)
				parts.push({ el: el, ev: +m[1], part: m[2] });
		});
	}

	/* Where each segment ends: the step it arrives or is lost at. */
	var lostAt = {}, endsAt = {};
	steps.forEach(function (s, i) {
		if (s.seg < 0)
			return;
		if (s.k === 'drop' || s.k === 'hostdrop')
			lostAt[s.seg] = i;
		if ((s.k === 'deliver' || s.k === 'drop' || s.k === 'hostdrop') && !(s.seg in endsAt))
			endsAt[s.seg] = i;
	});

	/* The diagram: its states by name, its arcs by the steps that took
	 * them, and how far each side had gone by each step. */
	var nodes = {}, stepEdge = [{}, {}], loopFirst = {};
	if (diagram) {
		diagram.querySelectorAll('g.node').forEach(function (g) {
			var t = g.querySelector('title');
			if (t)
				nodes[t.textContent] = g;
		});
		diagram.querySelectorAll('g.edge').forEach(function (g) {
			g.getAttribute('class').split(/\s+/).forEach(function (c) {
				var m = /^step_(client|server)_(\d+)$/.exec(c);
				if (m)
					stepEdge[m[1] === 'client' ? 0 : 1][+m[2]] = g;
			});
		});
	}
	function edgeHead(g) {
		var t = g && g.querySelector('title');
		var m = t ? /->(.*)$/.exec(t.textContent) : null;
		return m ? m[1] : null;
	}
	function loopOf(state, s) {
		if (!diagram)
			return null;
		return diagram.querySelector('[id="loop_' + state + '_' + sides[s] + '"]') ||
		       diagram.querySelector('[id="loop_' + state + '_END_' + sides[s] + '"]');
	}
	var reached = [], atNode = [];
	(function () {
		/* A side whose first step is not 1 (a connection of many, born
		 * of the listener's OPEN, step 1) has taken the steps before it. */
		var k = [0, 1].map(function (side) {
			var first = Infinity;
			steps.forEach(function (s) {
				if (s.arc[side] && s.arc[side][1] > 0)
					first = Math.min(first, s.arc[side][1]);
			});
			return first === Infinity ? 0 : first - 1;
		});
		var node = [steps.length ? steps[0].st[0] : 'CLOSED', steps.length ? steps[0].st[1] : 'CLOSED'];
		steps.forEach(function (s, i) {
			for (var side = 0; side < 2; side++) {
				var arc = s.arc[side];
				if (arc && arc[1] > 0) {
					k[side] = Math.max(k[side], arc[1]);
					node[side] = edgeHead(stepEdge[side][arc[1]]) || s.st[side];
				} else if (arc) {
					var l = loopOf(arc[2], side);
					if (l && !(l.id in loopFirst))
						loopFirst[l.id] = i;
				} else if (!stepEdge[side][k[side]]) {
					node[side] = s.st[side];
				}
			}
			reached.push([k[0], k[1]]);
			atNode.push([node[0], node[1]]);
		});
	})();

	function fmtTime(us) {
		return (us / 1e6).toFixed(3) + ' s';
	}
	function fmtDuration(us) {
		if (us >= 1e6)
			return (us / 1e6).toFixed(us % 1e6 ? 3 : 0) + ' s';
		return (us / 1e3).toFixed(us % 1e3 ? 1 : 0) + ' ms';
	}
	function cls(el, name, on) {
		if (el && el.classList)
			el.classList.toggle(name, !!on);
	}

	/* The ladder at step i: what has not happened yet faint, the step's
	 * segment and states marked, the segment kept in view. */
	function showLadder(i) {
		var s = steps[i], phase = { send: 'flight', deliver: 'delivered', drop: 'dropped', hostdrop: 'dropped',
						duplicate: 'duplicated' }[s.k] || '';
		var focus = null;
		parts.forEach(function (p) {
			var future = p.ev > s.last;
			if (p.part === 'cross' || p.part === 'dropnote')
				future = !(p.ev in lostAt) || lostAt[p.ev] > i;
			/* The step's segment (its cross once lost), and the states
			 * and timers its events drew. */
			var now = (p.ev === s.seg && !future) ||
				  (p.ev >= s.first && p.ev <= s.last && (p.part === 'state' || p.part === 'mark'));
			cls(p.el, 'future', future);
			cls(p.el, 'now', now);
			['flight', 'delivered', 'dropped', 'duplicated'].forEach(function (ph) {
				cls(p.el, ph, now && p.ev === s.seg && ph === phase);
			});
			if (now && (!focus || p.part === 'label'))
				focus = p.el;
		});
		var box = $('ladder');
		fitLadder();
		if (focus && box) {
			var r = focus.getBoundingClientRect(), b = box.getBoundingClientRect();
			box.scrollTop += (r.top + r.height / 2) - (b.top + box.clientHeight / 2);
		} else if (i === 0 && box) {
			box.scrollTop = 0;
		}
	}

	/* The diagram at step i: each side's state, the arcs taken so far,
	 * the one just taken bold, the rest of the path faint. */
	function showDiagram(i) {
		if (!diagram)
			return;
		var s = steps[i];
		Object.keys(nodes).forEach(function (name) {
			cls(nodes[name], 'at-client', atNode[i][0] === name);
			cls(nodes[name], 'at-server', atNode[i][1] === name);
		});
		for (var side = 0; side < 2; side++) {
			Object.keys(stepEdge[side]).forEach(function (k) {
				var g = stepEdge[side][k], first = +k;
				var classes = g.getAttribute('class').split(/\s+/);
				classes.forEach(function (c) {    /* an arc taken twice counts from its first time */
					var m = /^step_(client|server)_(\d+)$/.exec(c);
					if (m && +m[2] < first)
						first = +m[2];
				});
				cls(g, 'future', first > reached[i][side]);
				cls(g, 'now', false);
			});
		}
		Object.keys(loopFirst).forEach(function (id) {
			var g = diagram.querySelector('[id="' + id + '"]');
			cls(g, 'future', loopFirst[id] > i);
			cls(g, 'now', false);
		});
		/* What presentation mode closes in on: the arcs taken at this
		 * step and the states they lead to; both sides' states when no
		 * arc was taken. */
		var box = null, took = !!(s.arc[0] || s.arc[1]);
		for (side = 0; side < 2; side++) {
			var arc = s.arc[side], g = null;
			if (arc)
				g = arc[1] > 0 ? stepEdge[side][arc[1]] : loopOf(arc[2], side);
			if (g) {
				cls(g, 'now', true);
				cls(g, 'future', false);
			}
			if (took && !arc)
				continue;
			[g, nodes[atNode[i][side]]].forEach(function (el) {
				if (!el || !el.getBBox)
					return;
				var bb = el.getBBox();
				box = box ? { x0: Math.min(box.x0, bb.x), y0: Math.min(box.y0, bb.y),
					      x1: Math.max(box.x1, bb.x + bb.width), y1: Math.max(box.y1, bb.y + bb.height) }
					  : { x0: bb.x, y0: bb.y, x1: bb.x + bb.width, y1: bb.y + bb.height };
			});
		}
		zoomDiagram(box);
	}

	/* In presentation mode the diagram shows the part around the arc
	 * just taken (or the two states), large enough to read from the back
	 * of a room; otherwise all of it. */
	function zoomDiagram(box) {
		if (!document.body.classList.contains('present') || !box || !diagramBox) {
			if (diagramBox)
				diagram.setAttribute('viewBox', diagramBox);
			return;
		}
		var whole = diagramBox.split(/[\s,]+/).map(Number);
		var g = diagram.querySelector('g.graph'), m = g && g.transform.baseVal.consolidate();
		var tx = m ? m.matrix.e : 0, ty = m ? m.matrix.f : 0;
		var w = Math.max(box.x1 - box.x0 + 80, 320), h = Math.max(box.y1 - box.y0 + 80, 320);
		var col = diagram.parentNode.getBoundingClientRect();
		if (col.width > 0 && col.height > 0) {      /* the column's shape, so nothing is wasted */
			if (w / h < col.width / col.height)
				w = h * col.width / col.height;
			else
				h = w * col.height / col.width;
		}
		w = Math.min(w, whole[2]);
		h = Math.min(h, whole[3]);
		var cx = (box.x0 + box.x1) / 2 + tx, cy = (box.y0 + box.y1) / 2 + ty;
		var x = Math.min(Math.max(cx - w / 2, whole[0]), whole[0] + whole[2] - w);
		var y = Math.min(Math.max(cy - h / 2, whole[1]), whole[1] + whole[3] - h);
		diagram.setAttribute('viewBox', [x, y, w, h].join(' '));
	}

	/* Sequence numbers as the ladder writes them: from the ISS (ours) or
	 * the IRS (the peer's), the absolute number on hover. */
	function rel(n, base) {
		return (n - base) >>> 0;
	}
	var rows = [
		['state', 'State', function (v) { return [v.state, v.state]; }],
		['snd_una', 'SND.UNA', function (v) { return seq(v, v.snd_una, v.iss); }],
		['snd_nxt', 'SND.NXT', function (v) { return seq(v, v.snd_nxt, v.iss); }],
		['snd_wnd', 'SND.WND', function (v) { return num(v, v.snd_wnd); }],
		['rcv_nxt', 'RCV.NXT', function (v) { return v.has_irs ? seq(v, v.rcv_nxt, v.irs) : null; }],
		['rcv_wnd', 'RCV.WND', function (v) { return num(v, v.rcv_wnd); }],
		['unacked', 'Retransmission queue', function (v) {
			return numbered(v) ? [v.unacked ? v.unacked + ' unacknowledged' : 'empty',
					      'sequence numbers sent and not acknowledged (a SYN and a FIN count one)'] : null; }],
		['rto', 'RTO', function (v) { return timed(v) ? [fmtDuration(v.rto), 'RFC 6298 RTO'] : unused(v); }],
		['srtt', 'SRTT', function (v) {
			return timed(v) ? (v.srtt ? [fmtDuration(v.srtt), 'smoothed round-trip time'] : ['not measured yet', '']) : unused(v); }],
	];
	function live(step, side) {
		return step.v[side] && step.st[side] !== 'CLOSED' && step.st[side] !== 'LISTEN';
	}
	/* TIME_WAIT sends nothing it would time: its RTO and SRTT are not
	 * kept (a record holds what TIME_WAIT needs). */
	function timed(v) {
		return numbered(v) && v.state !== 'TIME_WAIT';
	}
	function unused(v) {
		return numbered(v) ? ['unused in TIME_WAIT', 'TIME_WAIT times nothing but 2MSL'] : null;
	}
	function numbered(v) {
		return v.state !== 'CLOSED' && v.state !== 'LISTEN';
	}
	function seq(v, n, base) {
		return numbered(v) ? [String(rel(n, base)), 'absolute ' + n] : null;
	}
	function num(v, n) {
		return numbered(v) ? [String(n), String(n)] : null;
	}

	function showVars(i) {
		var t = $('vars'), s = steps[i], p = i > 0 ? steps[i - 1] : null;
		var html = '<caption>Variables after this step (relative to each side\'s ISS and IRS, as the ' +
			   'ladder; hover for the absolute number)</caption><tr><th></th><th class="client">' +
			   esc(data.sides[0]) + '</th><th class="server">' + esc(data.sides[1]) + '</th></tr>';
		rows.forEach(function (row) {
			html += '<tr><th>' + row[1] + '</th>';
			for (var side = 0; side < 2; side++) {
				/* A side without a connection (CLOSED, or only its listener) has no numbers. */
				var v = live(s, side) ? s.v[side] : null, was = p && live(p, side) ? p.v[side] : null;
				var cell = row[0] === 'state' ? [s.st[side], s.st[side]] : v ? row[2](v) : null;
				var before = row[0] === 'state' ? (p ? [p.st[side]] : null) : was ? row[2](was) : null;
				var changed = i > 0 && (cell ? cell[0] : '') !== (before ? before[0] : '');
				html += '<td class="' + (changed ? 'changed' : '') + '" title="' + esc(cell ? cell[1] : '') +
					'">' + esc(cell ? cell[0] : '\u2014') + '</td>';
			}
			html += '</tr>';
		});
		t.innerHTML = html;
	}

	function showTimers(i) {
		var s = steps[i], html = '';
		for (var side = 0; side < 2; side++) {
			var list = s.tm[side];
			html += '<p class="' + sides[side] + '"><b>' + esc(data.sides[side]) + '</b> timers: ';
			if (!list.length)
				html += 'none running';
			html += list.map(function (t) {
				return '<span class="timer">\u25F7 ' + esc(t[0]) + ' ' + fmtDuration(t[1] - s.t) +
				       ' left (of ' + fmtDuration(t[2]) + ')</span>';
			}).join(', ');
			html += '</p>';
		}
		$('timers').innerHTML = html;
	}

	function esc(x) {
		return String(x).replace(/[&<>"]/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
		});
	}

	/* Shows step i (clamped), and puts it in the address. */
	function show(i) {
		i = Math.max(0, Math.min(steps.length - 1, i | 0));
		if (!steps.length)
			return;
		cur = i;
		var s = steps[i];
		document.body.setAttribute('data-step', i);
		showLadder(i);
		showDiagram(i);
		showVars(i);
		showTimers(i);
		var lines = s.text.split('\n');
		$('sentence').innerHTML = '<span class="when">' + fmtTime(s.t) + '</span> ' + esc(lines[0]) +
			lines.slice(1).map(function (l) {
				var m = /^([TS]\d+[a-z]?): (.*)$/.exec(l);
				return '<br><span class="row">' + (m ? '<b>' + esc(m[1]) + '</b> ' + esc(m[2]) : esc(l)) + '</span>';
			}).join('');
		$('note').textContent = s.note ? '\u270E ' + s.note : '';
		$('slider').value = i;
		$('where').textContent = 'step ' + i + ' of ' + (steps.length - 1) + (data.cut ? ' (the run goes on: the page stops here)' : '');
		var want = '#step=' + i + (document.body.classList.contains('present') ? '&present' : '');
		if (location.hash !== want)
			history.replaceState(null, '', want);
	}

	/* Play: each step waits for the time to the next one, idle gaps
	 * shortened as the ladder shortens them (up to two one-way delays to
	 * scale, then as the fourth root), one one-way delay a second at 1x,
	 * and never less than a moment to read. */
	function delayTo(i) {
		var u = data.unit_us || 50000, dt = i + 1 < steps.length ? steps[i + 1].t - steps[i].t : 0;
		var g = dt <= 2 * u ? dt : 2 * u * Math.pow(dt / (2 * u), 0.25);
		return Math.max(700, 1000 * g / u) / +$('speed').value;
	}
	function play(on) {
		if (playing) {
			clearTimeout(playing);
			playing = null;
		}
		$('play').textContent = on ? '\u23F8 pause' : '\u25B6 play';
		if (!on)
			return;
		if (cur >= steps.length - 1)
			show(0);
		(function tick() {
			playing = setTimeout(function () {
				if (cur >= steps.length - 1)
					return play(false);
				show(cur + 1);
				tick();
			}, delayTo(cur));
		})();
	}

	function present(on) {
		cls(document.body, 'present', on);
		if (on && document.documentElement.requestFullscreen && !document.fullscreenElement && present.byUser)
			document.documentElement.requestFullscreen().catch(function () {});
		if (!on && document.fullscreenElement && document.exitFullscreen)
			document.exitFullscreen().catch(function () {});
		show(cur);
	}

	function fromAddress() {
		var m = /step=(\d+)/.exec(location.hash);
		cls(document.body, 'present', /present/.test(location.hash));
		show(m ? +m[1] : 0);
	}

	$('slider').max = Math.max(0, steps.length - 1);
	$('slider').addEventListener('input', function () { play(false); show(+this.value); });
	$('first').addEventListener('click', function () { play(false); show(0); });
	$('prev').addEventListener('click', function () { play(false); show(cur - 1); });
	$('next').addEventListener('click', function () { play(false); show(cur + 1); });
	$('last').addEventListener('click', function () { play(false); show(steps.length - 1); });
	$('play').addEventListener('click', function () { play(!playing); });
	$('present').addEventListener('click', function () {
		present.byUser = true;
		present(!document.body.classList.contains('present'));
	});
	document.addEventListener('keydown', function (e) {
		if (e.altKey || e.ctrlKey || e.metaKey || (e.target && /^(INPUT|SELECT)$/.test(e.target.tagName) && e.target.type !== 'range'))
			return;
		var k = e.key;
		if (k === 'ArrowRight' || k === ' ' || k === 'PageDown') {
			play(false);
			show(cur + 1);
		} else if (k === 'ArrowLeft' || k === 'PageUp') {
			play(false);
			show(cur - 1);
		} else if (k === 'Home') {
			play(false);
			show(0);
		} else if (k === 'End') {
			play(false);
			show(steps.length - 1);
		} else if (k === 'p') {
			play(!playing);
		} else if (k === 'f') {
			present.byUser = true;
			present(!document.body.classList.contains('present'));
		} else if (k === 'Escape') {
			present(false);
		} else {
			return;
		}
		e.preventDefault();
	});
	window.addEventListener('hashchange', fromAddress);
	window.addEventListener('resize', function () { show(cur); });
	document.addEventListener('fullscreenchange', function () {
		if (!document.fullscreenElement && present.byUser)
			present(false);
	});
	fromAddress();
})();

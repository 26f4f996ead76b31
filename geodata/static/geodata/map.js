/* The region choropleth drawn by geodata.maps: prefecture shapes embedded in the page, the
 * counties of one prefecture fetched only when a user clicks it. Figures, colours, tooltips and
 * legends all come ready-made from the server; this file only draws them. */
(function (global) {
  "use strict";

  function styleOf(region, styles) {
    var style = Object.assign({}, styles.base);
    if (!region) {
      return Object.assign(style, styles.noData);
    }
    return Object.assign(style, styles[region.k] || {}, region.f ? {fillColor: region.f} : {});
  }

  // Built as DOM nodes with textContent: names and figures are never parsed as HTML.
  function tooltipOf(region, rows) {
    var div = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = region.v[0];
    div.appendChild(name);
    var table = document.createElement("table");
    rows.forEach(function (label, i) {
      var row = table.insertRow();
      var th = document.createElement("th");
      th.textContent = label;
      row.appendChild(th);
      row.insertCell().textContent = region.v[i + 1];
    });
    div.appendChild(table);
    return div;
  }

  function bindRegion(layer, adcode, region, options, geojson, onClick) {
    var styles = options.styles;
    // Read when the path is first drawn: lets a page (and its tests) find a region's shape.
    layer.options.className = "geodata-region geodata-region-" + adcode;
    if (region) {
      layer.bindTooltip(function () {
        return tooltipOf(region, options.tooltipRows);
      }, {sticky: true, className: "geodata-tooltip"});
    }
    layer.on({
      mouseover: function (e) {
        e.target.setStyle(styles.highlight);
        e.target.bringToFront();
      },
      mouseout: function (e) {
        geojson.resetStyle(e.target);
      },
      click: onClick
    });
  }

  // A phone-sized map: controls start folded so they do not cover the regions.
  function isNarrow(map) {
    return map.getSize().x < 600;
  }

  function legendControl(html) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function (map) {
      var div = L.DomUtil.create("div", "geodata-legend");
      div.innerHTML = html;
      var fold = div.querySelector("details");
      if (fold && isNarrow(map)) {
        fold.open = false;
      }
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return control;
  }

  // Region names drawn on the map (not interactive: the shapes under them are). Labels come
  // largest region first; one that would overlap a label already shown at this zoom is hidden.
  function labelLayer(labels) {
    var group = L.layerGroup();
    labels.forEach(function (label) {
      var text = document.createElement("span");
      text.textContent = label[3];
      text.setAttribute("aria-hidden", "true"); // the table beside the map names them all
      group.addLayer(L.marker([label[1], label[2]], {
        icon: L.divIcon({className: "geodata-label geodata-label-" + label[0], html: text, iconSize: null}),
        interactive: false,
        keyboard: false
      }));
    });
    return group;
  }

  function declutter(group) {
    var shown = [];
    group.eachLayer(function (marker) {
      var element = marker.getElement();
      if (!element) {
        return;
      }
      element.classList.remove("geodata-label-hidden");
      var box = element.firstChild.getBoundingClientRect();
      var overlaps = shown.some(function (other) {
        return box.left < other.right && other.left < box.right &&
          box.top < other.bottom && other.top < box.bottom;
      });
      if (overlaps) {
        element.classList.add("geodata-label-hidden");
      } else {
        shown.push(box);
      }
    });
  }

  // Full screen for the map alone: the browser's Fullscreen API where it has one, else the map
  // fills the window above the page (iPhones have no element full screen). Esc leaves both.
  function fullscreenControl(labels) {
    var control = L.control({position: "topleft"});
    control.onAdd = function (map) {
      var container = map.getContainer();
      var div = L.DomUtil.create("div", "geodata-fullscreen leaflet-bar");
      var button = L.DomUtil.create("button", "", div);
      button.type = "button";

      function isFull() {
        return document.fullscreenElement === container ||
          container.classList.contains("geodata-map-expanded");
      }

      function update() {
        var full = isFull();
        button.textContent = full ? labels.exit : labels.enter;
        button.setAttribute("aria-pressed", full ? "true" : "false");
        container.dataset.fullscreen = full ? "true" : "false";
        map.invalidateSize();
      }

      function expand() {
        container.classList.add("geodata-map-expanded");
        update();
      }

      function toggle() {
        if (document.fullscreenElement === container) {
          document.exitFullscreen();
        } else if (container.classList.contains("geodata-map-expanded")) {
          container.classList.remove("geodata-map-expanded");
          update();
        } else if (container.requestFullscreen) {
          container.requestFullscreen().catch(expand);
        } else {
          expand();
        }
      }

      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.on(button, "click", toggle);
      document.addEventListener("fullscreenchange", update);
      document.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && container.classList.contains("geodata-map-expanded")) {
          toggle();
        }
      });
      update();
      return div;
    };
    return control;
  }

  function layerSwitch(map, overlays, options) {
    var control = L.control.layers({}, overlays, {
      position: options.position,
      autoZIndex: options.autoZIndex,
      collapsed: isNarrow(map)
    }).addTo(map);
    var toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (toggle) {
      toggle.title = options.label;
      toggle.setAttribute("aria-label", options.label);
    }
    return control;
  }

  function backControl(label, onBack) {
    var control = L.control({position: "topright"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "geodata-back leaflet-bar");
      var button = L.DomUtil.create("button", "", div);
      button.type = "button";
      button.textContent = label;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.on(button, "click", onBack);
      control.message = L.DomUtil.create("div", "geodata-message", div);
      return div;
    };
    return control;
  }

  // Leaflet's zoom buttons are titled "Zoom in" / "Zoom out" in English.
  function chineseZoomButtons(map, messages) {
    var container = map.zoomControl && map.zoomControl.getContainer();
    if (!container) return;
    [[".leaflet-control-zoom-in", messages.zoomIn], [".leaflet-control-zoom-out", messages.zoomOut]]
      .forEach(function (pair) {
        var button = container.querySelector(pair[0]);
        if (button) {
          button.title = pair[1];
          button.setAttribute("aria-label", pair[1]);
        }
      });
  }

  function choropleth(map, shapes, regions, options) {
    var styles = options.styles;
    var counties = null;
    var countyShapes = null;
    var countyLegend = legendControl(options.countyLegend);
    var prefectureLegend = legendControl(options.prefectureLegend).addTo(map);
    var back = backControl(options.messages.back, showProvince);
    chineseZoomButtons(map, options.messages);
    fullscreenControl(options.messages.fullscreen).addTo(map);
    var prefectureLabels = labelLayer(options.labels);
    var countyLabels = null;
    // Counties draw in a pane of their own above the prefectures: a prefecture highlighted (and
    // brought to the front) under the mouse must never cover the counties drilled into.
    map.createPane("geodataCounties").style.zIndex = 450;
    var countyLayer = L.geoJson(null, {
      pane: "geodataCounties",
      style: function (feature) {
        return styleOf(options.counties[feature.properties.adcode], styles);
      },
      onEachFeature: function (feature, layer) {
        var adcode = feature.properties.adcode;
        bindRegion(layer, adcode, options.counties[adcode], options, countyLayer);
      }
    });

    var layer = L.geoJson(shapes, {
      style: function (feature) {
        return styleOf(regions[feature.properties.adcode], styles);
      },
      onEachFeature: function (feature, shape) {
        var adcode = feature.properties.adcode;
        bindRegion(shape, adcode, regions[adcode], options, layer, function () {
          drillDown(adcode, shape.getBounds());
        });
      }
    });

    function loadCounties() {
      if (!countyShapes) {
        countyShapes = fetch(options.countyShapesUrl, {credentials: "same-origin"}).then(
          function (response) {
            if (!response.ok) {
              throw new Error(response.status);
            }
            return response.json();
          }
        );
        countyShapes.catch(function () {
          countyShapes = null;
        });
      }
      return countyShapes;
    }

    function drillDown(adcode, bounds) {
      map.fitBounds(bounds);
      back.addTo(map);
      back.message.textContent = options.messages.loading;
      loadCounties().then(function (data) {
        countyLayer.clearLayers();
        countyLayer.addData(data.features.filter(function (feature) {
          return feature.properties.prefecture === adcode;
        }));
        countyLayer.addTo(map);
        showLabels(labelLayer(options.countyLabels.filter(function (label) {
          return label[4] === adcode;
        })));
        map.removeControl(prefectureLegend);
        countyLegend.addTo(map);
        back.message.textContent = "";
        counties = adcode;
        map.getContainer().dataset.drilledDown = adcode;
        // For the page around the map, e.g. to show the table of the region drilled into.
        map.getContainer().dispatchEvent(
          new CustomEvent("geodata:drilldown", {bubbles: true, detail: {adcode: adcode}})
        );
      }).catch(function () {
        back.message.textContent = options.messages.failed;
      });
    }

    function showLabels(group) {
      prefectureLabels.remove();
      if (countyLabels) {
        countyLabels.remove();
      }
      countyLabels = group === prefectureLabels ? null : group;
      group.addTo(map);
      declutter(group);
    }

    function showProvince() {
      counties = null;
      countyLayer.remove();
      showLabels(prefectureLabels);
      back.remove();
      countyLegend.remove();
      prefectureLegend.addTo(map);
      delete map.getContainer().dataset.drilledDown;
      map.fitBounds(options.bounds);
      map.getContainer().dispatchEvent(new CustomEvent("geodata:province", {bubbles: true}));
    }

    // A zoom moves shapes away from under a still mouse without a mouseout: drop every
    // highlight and tooltip rather than leave them stuck.
    map.on("zoomstart", function () {
      [layer, countyLayer].forEach(function (group) {
        group.eachLayer(function (shape) {
          group.resetStyle(shape);
          shape.closeTooltip();
        });
      });
    });
    map.on("keydown", function (e) {
      if (counties && e.originalEvent.key === "Escape") {
        showProvince();
      }
    });
    map.on("zoomend", function () {
      declutter(countyLabels || prefectureLabels);
    });
    map.fitBounds(options.bounds);
    showLabels(prefectureLabels);
    if (options.initialPrefecture) {
      layer.eachLayer(function (shape) {
        if (shape.feature.properties.adcode === options.initialPrefecture) {
          drillDown(options.initialPrefecture, shape.getBounds());
        }
      });
    }
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(options.attribution);
    return layer;
  }

  function statusLayer(shapes, regions, status, style) {
    return L.geoJson(shapes, {
      filter: function (feature) {
        var region = regions[feature.properties.adcode];
        return Boolean(region) && region.s === status;
      },
      style: style,
      interactive: false
    });
  }

  global.geodata = {choropleth: choropleth, statusLayer: statusLayer, layerSwitch: layerSwitch};
})(window);

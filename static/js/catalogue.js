/* Enhancement only: on wide screens the filter sidebar starts open. Without JavaScript the
   filters still work; the visitor opens them by tapping "Choose place, day and time". */
(function () {
  "use strict";
  var details = document.getElementById("more-filters");
  if (details && window.matchMedia && window.matchMedia("(min-width: 60em)").matches) {
    details.open = true;
  }
})();
